import type { Migration } from '@tally/infra';

export const idempotencyMigrations: readonly Migration[] = [
  {
    id: 'commands/0001-idempotency',
    sql: `
CREATE TABLE tally_idempotency (
  key         text PRIMARY KEY,
  fingerprint text NOT NULL,
  status      integer NOT NULL,
  body        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tally_idempotency_created_at ON tally_idempotency (created_at);
`,
  },
];
