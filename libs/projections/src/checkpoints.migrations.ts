import type { Migration } from '@tally/infra';
import type { Projection } from './projection';

export const checkpointMigrations: readonly Migration[] = [
  {
    id: 'projections/0001-checkpoints',
    sql: `
CREATE TABLE tally_projection_checkpoints (
  name        text PRIMARY KEY,
  position    bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    // Each projection's events per second, a moving average: see RATE_WINDOW_SECONDS.
    id: 'projections/0002-checkpoint-rate',
    sql: `
ALTER TABLE tally_projection_checkpoints
  ADD COLUMN rate       float8 NOT NULL DEFAULT 0,
  ADD COLUMN rate_at    timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN rate_since timestamptz NOT NULL DEFAULT now();`,
  },
];

/** Each projection's live tables as a migration of its own. */
export function projectionMigrations(projections: readonly Projection[]): Migration[] {
  return projections.map((p) => ({
    id: `projections/${p.name}/0001-tables`,
    sql: p.createTables(p.tables),
  }));
}
