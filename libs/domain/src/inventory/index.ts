export * from './inventory.commands';
export * from './inventory.decider';
export * from './inventory.events';
export * from './inventory.streams';
