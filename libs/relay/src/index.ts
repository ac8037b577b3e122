export * from './relay';
export * from './relay.migrations';
