import type { Pool } from 'pg';
import {
  PostgresEventStore,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
} from '../../libs/event-store/src';
import {
  Projector,
  readCheckpoints,
  type Projection,
  type ProjectionChange,
} from '../../libs/projections/src';
import { allMigrations } from '../../apps/shared/src/all-migrations';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface UntilOptions {
  /** Give up after this long. Default 60 s. */
  timeoutMs?: number;
  /** Wait this long between checks. Default 25 ms. */
  intervalMs?: number;
}

/** Checks `condition` until it holds; past the deadline throws `timed out: <what>`. */
export async function until(
  condition: () => Promise<boolean>,
  what: string,
  { timeoutMs = 60_000, intervalMs = 25 }: UntilOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The highest position seen among our own appends. Projections are done when their
 * checkpoints reach it: the visible head also waits on other databases' transactions.
 */
export class PositionTracker {
  private highest = 0n;

  get last(): bigint {
    return this.highest;
  }

  track(position: bigint): void {
    if (position > this.highest) this.highest = position;
  }
}

/** The last change committed for a key, with the position of the batch that carried it. */
export interface LiveChange {
  position: bigint;
  change: ProjectionChange;
}

export interface ProjectOptions {
  pool: Pool;
  store: EventStore;
  projections: readonly Projection[];
  /** The position every checkpoint must reach. */
  head: bigint;
  batchSize: number;
  /** How many projectors race over the same checkpoints. Default 2. */
  projectors?: number;
  /** The key under which a change is kept; `change.key` unless told otherwise. */
  keyOf?: (change: ProjectionChange) => string;
  /** How long the projections may take to reach `head`. Default 60 s. */
  timeoutMs?: number;
}

/**
 * Runs racing projectors with the given batch size until every projection's checkpoint
 * reaches `head`, then stops them. Returns the last change committed per key.
 */
export async function projectUntilCaughtUp(
  options: ProjectOptions,
): Promise<Map<string, LiveChange>> {
  const { pool, store, projections, head, batchSize, timeoutMs } = options;
  const keyOf = options.keyOf ?? ((change: ProjectionChange) => change.key);
  const live = new Map<string, LiveChange>();
  const projectors = Array.from(
    { length: options.projectors ?? 2 },
    () =>
      new Projector({
        pool,
        store,
        projections,
        batchSize,
        onCommitted: (_name, position, changes) => {
          for (const change of changes) {
            const key = keyOf(change);
            if ((live.get(key)?.position ?? -1n) < position) live.set(key, { position, change });
          }
        },
      }),
  );
  await Promise.all(projectors.map((p) => p.start()));
  await until(
    async () => {
      const names = projections.map((p) => p.name);
      const stored = await readCheckpoints(pool, names);
      return names.every((name) => (stored.get(name) ?? 0n) >= head);
    },
    'the projection to reach the last append',
    { timeoutMs },
  );
  await Promise.all(projectors.map((p) => p.stop()));
  return live;
}

export interface ProjectionDatabase {
  readonly db: TestDatabase;
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  /** The highest position appended through `append` in this test. */
  readonly lastAppended: bigint;
  /** Appends to the store and tracks the position. */
  append(
    stream: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;
  /** `projectUntilCaughtUp` over this database's projections, up to `lastAppended`. */
  project(
    options: Omit<ProjectOptions, 'pool' | 'store' | 'projections' | 'head'>,
  ): Promise<Map<string, LiveChange>>;
}

/**
 * For each test a fresh database migrated for the event store, the checkpoints and
 * `projections`, with a store on it; dropped after the test. Call inside `describe`.
 */
export function useProjectionDatabase(projections: readonly Projection[]): ProjectionDatabase {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let appended: PositionTracker;

  beforeEach(async () => {
    db = await createTestDatabase(allMigrations(projections));
    store = new PostgresEventStore({ pool: db.pool, url: db.url, pollIntervalMs: 50 });
    appended = new PositionTracker();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  return {
    get db() {
      return db;
    },
    get pool() {
      return db.pool;
    },
    get store() {
      return store;
    },
    get lastAppended() {
      return appended.last;
    },
    async append(stream, events, expected) {
      const result = await store.append(stream, events, expected);
      appended.track(result.position);
      return result;
    },
    project: (options) =>
      projectUntilCaughtUp({ ...options, pool: db.pool, store, projections, head: appended.last }),
  };
}
