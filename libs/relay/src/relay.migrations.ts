import type { Migration } from '@tally/infra';

export const relayMigrations: readonly Migration[] = [
  {
    id: 'relay/0001-checkpoint',
    sql: `
CREATE TABLE tally_relay_checkpoints (
  name        text PRIMARY KEY,
  position    bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);`,
  },
];
