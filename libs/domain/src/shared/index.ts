export * from './decider';
export * from './decision';
export * from './domain-errors';
export * from './ids';
export * from './messages';
export * from './shape';
