import type { FoldEvent } from '@tally/event-store';
import type { PoolClient } from 'pg';

/** Physical table names by logical name: live tables, or shadow tables during a rebuild. */
export type TableNames<T extends string> = Readonly<Record<T, string>>;

/** What one applied batch changed, for live updates after the commit. */
export interface ProjectionChange {
  key: string;
  value: Record<string, unknown>;
}

/**
 * A named fold: the event types it takes, its tables, and a batch handler. The handler
 * aggregates in memory first and writes with atomic upserts inside the transaction that
 * also advances the projection's checkpoint, so a redelivered batch changes nothing.
 */
export interface Projection<T extends string = string> {
  name: string;
  eventTypes: readonly string[];
  /**
   * Why an event of these types is not of its shape (undefined when it is). Checked before
   * every fold: an event that fails is parked, never folded.
   */
  eventProblem(event: { type: string; data: unknown }): string | undefined;
  tables: TableNames<T>;
  /** DDL for the given physical names; run for live tables by migration, for shadows by rebuild. */
  createTables(tables: TableNames<T>): string;
  /** Takes the fields a fold reads (a RecordedEvent has them all). */
  apply(
    db: PoolClient,
    events: readonly FoldEvent[],
    tables: TableNames<T>,
  ): Promise<ProjectionChange[]>;
}
