import { idempotencyMigrations } from '@tally/commands';
import { eventStoreMigrations } from '@tally/event-store';
import type { Migration } from '@tally/infra';
import {
  checkpointMigrations,
  kafkaOffsetMigrations,
  parkingMigrations,
  projectionMigrations,
  rebuildMigrations,
  type Projection,
} from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { relayMigrations } from '@tally/relay';

/**
 * Every table of Tally, in the one order every process (API, projector, relay, CLI), test and
 * benchmark applies them. One list, so that whichever process starts first on an empty
 * database creates the same schema; the Kafka and relay tables cost nothing when unused.
 * `projections` narrows the read tables, for tests that fold only some projections.
 */
export function allMigrations(projections: readonly Projection[] = allProjections): Migration[] {
  return [
    ...eventStoreMigrations,
    ...idempotencyMigrations,
    ...checkpointMigrations,
    ...rebuildMigrations,
    ...kafkaOffsetMigrations,
    ...parkingMigrations,
    ...relayMigrations,
    ...projectionMigrations(projections),
  ];
}
