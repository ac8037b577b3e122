export * from './command-pipeline';
export * from './command-reply';
export * from './command-spec';
export * from './error-codes';
export * from './idempotency.migrations';
export * from './idempotency.repository';
export * from './retry-policy';
export * from './idempotency-janitor';
