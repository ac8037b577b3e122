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
  {
    // The stored answer becomes one opaque JSON value, rendered by the caller; the keys
    // recorded before keep answering: their status and body were what the API rendered.
    id: 'commands/0002-opaque-reply',
    sql: `
ALTER TABLE tally_idempotency ADD COLUMN reply jsonb;
UPDATE tally_idempotency SET reply = jsonb_build_object('status', status, 'body', body)
 WHERE status <> 0;
ALTER TABLE tally_idempotency DROP COLUMN status, DROP COLUMN body;
`,
  },
];
