export * from './checkpoints.migrations';
export * from './projection';
export * from './projector';
export * from './rebuild';
export * from './kafka-message';
export * from './kafka-offsets.migrations';
export * from './kafka-projector';
