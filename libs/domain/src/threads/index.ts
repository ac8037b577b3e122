export * from './threads.commands';
export * from './threads.decider';
export * from './threads.events';
export * from './threads.streams';
