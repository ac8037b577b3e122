export * from './inventory';
export * from './polls';
export * from './reactions';
export * from './shared';
export * from './threads';
export * from './usernames';
export * from './event-shapes';
