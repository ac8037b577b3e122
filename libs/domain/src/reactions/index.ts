export * from './reactions.commands';
export * from './reactions.decider';
export * from './reactions.events';
export * from './reactions.streams';
