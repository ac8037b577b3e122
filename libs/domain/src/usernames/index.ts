export * from './usernames.commands';
export * from './usernames.decider';
export * from './usernames.events';
export * from './usernames.streams';
