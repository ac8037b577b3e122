import type { Migration } from '@tally/infra';

export const parkingMigrations: readonly Migration[] = [
  {
    id: 'projections/0005-parked-events',
    sql: `
-- Dead letters: events a projection did not fold (malformed, or its fold threw on them). The
-- projection moved on past them; an operator retries or discards them.
CREATE TABLE tally_parked_events (
  projection  text NOT NULL,
  position    bigint NOT NULL,
  stream_id   text NOT NULL,
  revision    bigint NOT NULL,
  type        text NOT NULL,
  error       text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  attempts    integer NOT NULL DEFAULT 1,
  last_tried  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, position)
);
-- Events ever parked, per projection: a retry or a discard removes the row, not the count.
CREATE TABLE tally_parked_totals (
  projection  text PRIMARY KEY,
  parked      bigint NOT NULL DEFAULT 0
);`,
  },
];
