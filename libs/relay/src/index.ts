export * from './event-message';
export * from './relay';
export * from './relay.migrations';
