export * from './consumer-group-lag';
export * from './metrics';
export * from './projection-status';
export * from './relay-lag';
export * from './http-metrics';
export * from './metrics-server';
export * from './process-metrics';
