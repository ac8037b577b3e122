export * from './checkpoints.migrations';
export * from './projection';
export * from './projector';
export * from './rebuild';
