import type { Migration } from '@tally/infra';

export const rebuildMigrations: readonly Migration[] = [
  {
    id: 'projections/0003-rebuilds',
    sql: `
-- One row per rebuild, written as it goes, so every process (API, CLI, ops page) sees progress.
CREATE TABLE tally_projection_rebuilds (
  rebuild_id   uuid PRIMARY KEY,
  name         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  position     bigint NOT NULL DEFAULT 0,
  processed    bigint NOT NULL DEFAULT 0,
  total        bigint NOT NULL DEFAULT 0,
  error        text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX tally_projection_rebuilds_by_name ON tally_projection_rebuilds (name, started_at DESC);`,
  },
];
