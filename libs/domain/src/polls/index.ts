export * from './polls.commands';
export * from './polls.decider';
export * from './polls.events';
export * from './polls.streams';
