export * from './command-binding';
export * from './command-outcome';
export {
  CommandPipeline,
  type CommandObserver,
  type CommandPipelineOptions,
} from './command-pipeline';
export { MalformedDecidedEvent, type CommandStorage } from './batch-commit';
export type { Provenance } from './batch-decision';
export * from './idempotency-store.port';
export * from './idempotency.migrations';
export * from './postgres-idempotency.store';
export * from './retry-policy';
export * from './idempotency-janitor';
