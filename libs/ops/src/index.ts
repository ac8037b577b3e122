export * from './consumer-group-lag';
export * from './metrics';
export * from './projection-status';
export * from './relay-lag';
