import type { EventStore } from '@tally/event-store';
import { inTransaction } from '@tally/infra';
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { lockCheckpoint, setCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import { ScratchFold } from './scratch-fold';

export type RebuildPhase = 'replaying' | 'catching_up' | 'swapping' | 'completed';

export interface RebuildProgress {
  rebuildId: string;
  name: string;
  phase: RebuildPhase;
  position: bigint;
  processed: number;
  /** Events of the projection's types when the replay started; catch-up adds beyond it. */
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
}

/**
 * How the shadow meets the live writers of the projection: how far it folds before the swap
 * and, inside the swap's transaction, how it stops them and what it folds last.
 */
export interface SwapMode {
  /** The position the shadow catches up to outside the swap. */
  reachable(projection: Projection): Promise<bigint>;
  /**
   * Freezes the live writers until the transaction of `client` ends and folds the shadow's
   * last stretch into it; returns the checkpoint the swap sets, or undefined to keep it.
   */
  freeze(
    client: PoolClient,
    shadow: ScratchFold,
    projection: Projection,
  ): Promise<bigint | undefined>;
}

/**
 * Log mode: the shadow folds up to the head; the swap locks the checkpoint row (the projector
 * committing a batch waits) and passes the live checkpoint, so reads never go back.
 */
export function logSwapMode(store: EventStore): SwapMode {
  return {
    reachable: () => store.headPosition(),
    freeze: async (client, shadow, projection) => {
      const live = await lockCheckpoint(client, projection.name);
      const head = await store.headPosition();
      await shadow.foldTo(head > live ? head : live, client);
      return shadow.position > live ? shadow.position : live;
    },
  };
}

export interface RebuildOptions {
  pool: Pool;
  store: EventStore;
  projection: Projection;
  batchSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** How often progress is written to tally_projection_rebuilds (ms). */
  persistEveryMs?: number;
  /** Aborting stops between batches; the live tables stay as they were. */
  signal?: AbortSignal;
  /** Default: log mode (logSwapMode). */
  mode?: SwapMode;
}

export interface StartedRebuild {
  rebuildId: string;
  /** Settles when the tables are swapped (or the rebuild failed and the live tables are untouched). */
  done: Promise<RebuildProgress>;
}

/** Another rebuild of this projection holds its lock (in this or another process). */
export class RebuildInProgress extends Error {
  constructor(
    readonly projection: string,
    readonly rebuildId: string | undefined,
  ) {
    super(`a rebuild of ${projection} is already running`);
  }
}

const lockKey = (name: string): string => `tally.rebuild.${name}`;

/**
 * Starts a rebuild: replays the log from position 0 into shadow tables, catches up, then
 * swaps them in together with the checkpoint in one transaction. The live tables keep
 * serving (and the live projector keeps folding) until that transaction; reads block only
 * for the renames. An interrupted rebuild leaves the live projection untouched; the next one
 * clears its shadows. Resolves once the lock is held and the rebuild is recorded.
 */
export async function startRebuild(options: RebuildOptions): Promise<StartedRebuild> {
  const { pool, projection } = options;
  const lock = await pool.connect();
  let locked = false;
  try {
    const { rows } = await lock.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
      [lockKey(projection.name)],
    );
    locked = rows[0]?.ok === true;
    if (!locked) {
      const running = await lock.query<{ rebuild_id: string }>(
        `SELECT rebuild_id FROM tally_projection_rebuilds WHERE name = $1 AND status = 'running'
          ORDER BY started_at DESC LIMIT 1`,
        [projection.name],
      );
      throw new RebuildInProgress(projection.name, running.rows[0]?.rebuild_id);
    }
    // Holding the lock: any row still 'running' belongs to a process that died.
    await lock.query(
      `UPDATE tally_projection_rebuilds SET status = 'failed', finished_at = now(), updated_at = now(),
              error = 'interrupted: the process running it stopped'
        WHERE name = $1 AND status = 'running'`,
      [projection.name],
    );
    await dropLeftoverShadows(lock, projection);
    const rebuildId = randomUUID();
    await lock.query(
      `INSERT INTO tally_projection_rebuilds (rebuild_id, name, status) VALUES ($1, $2, 'running')`,
      [rebuildId, projection.name],
    );
    const done = new ShadowRebuild(options, rebuildId)
      .run()
      .then(
        async (progress) => {
          await lock.query(
            `UPDATE tally_projection_rebuilds SET finished_at = now() WHERE rebuild_id = $1`,
            [rebuildId],
          );
          return progress;
        },
        async (error: unknown) => {
          await lock
            .query(
              `UPDATE tally_projection_rebuilds SET status = 'failed', error = $2, finished_at = now(),
                      updated_at = now() WHERE rebuild_id = $1`,
              [rebuildId, error instanceof Error ? error.message : String(error)],
            )
            .catch(() => undefined);
          throw error;
        },
      )
      .finally(() => release(lock, projection.name));
    return { rebuildId, done };
  } catch (error) {
    if (locked) await release(lock, projection.name);
    else lock.release();
    throw error;
  }
}

async function release(lock: PoolClient, name: string): Promise<void> {
  try {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(name)]);
    lock.release();
  } catch (error) {
    // A broken connection drops the lock with it; don't hand it back to the pool.
    lock.release(error instanceof Error ? error : true);
  }
}

async function dropLeftoverShadows(client: PoolClient, projection: Projection): Promise<void> {
  const { rows } = await client.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
        AND EXISTS (SELECT 1 FROM unnest($1::text[]) live
                     WHERE left(tablename, length(live) + 3) = live || '__r'
                        OR left(tablename, length(live) + 5) = live || '__old')`,
    [Object.values(projection.tables)],
  );
  for (const { tablename } of rows) await client.query(`DROP TABLE IF EXISTS "${tablename}"`);
}

class ShadowRebuild {
  private readonly started = Date.now();
  private readonly suffix: string;
  private shadow: ScratchFold | undefined;
  /** The checkpoint the swap set: the shadow's position, or the live one if that was further. */
  private swappedAt: bigint | undefined;
  private processed = 0;
  private total = 0;
  private phase: RebuildPhase = 'replaying';
  private persistedAt = 0;

  constructor(
    private readonly options: RebuildOptions,
    private readonly rebuildId: string,
  ) {
    this.suffix = `r${rebuildId.replace(/-/g, '').slice(0, 12)}`;
  }

  private get position(): bigint {
    return this.swappedAt ?? this.shadow?.position ?? 0n;
  }

  async run(): Promise<RebuildProgress> {
    const { pool, store, projection } = this.options;
    const shadow = await ScratchFold.create({
      pool,
      store,
      projections: [projection],
      suffix: this.suffix,
      batchSize: this.batchSize,
      signal: this.options.signal,
      onPage: async (events) => {
        this.processed += events.length;
        await this.persist(false);
      },
    });
    this.shadow = shadow;
    const head = await store.headPosition();
    // EventStoreDB caps the count: the total is then a lower bound (processed runs past it).
    const count = await store.countEvents(0n, head, { types: projection.eventTypes });
    this.total = count.events;
    await this.persist(true);
    await shadow.foldTo(await this.mode.reachable(this.options.projection));
    this.phase = 'catching_up';
    // Catch up outside the swap until a round is shorter than a batch: the swap then holds
    // the projection's checkpoint lock only for that last short stretch.
    for (;;) {
      const before = this.processed;
      await shadow.foldTo(await this.mode.reachable(this.options.projection));
      if (this.processed - before < this.batchSize) break;
    }
    this.phase = 'swapping';
    await this.persist(true);
    await this.swap(shadow);
    this.phase = 'completed';
    await this.persist(true, 'completed');
    return this.progress();
  }

  private get mode(): SwapMode {
    return this.options.mode ?? logSwapMode(this.options.store);
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 5000;
  }

  private async swap(shadow: ScratchFold): Promise<void> {
    const { pool, projection } = this.options;
    const tables = shadow.tablesOf(projection);
    this.swappedAt = await inTransaction(pool, async (client) => {
      const checkpoint = await this.mode.freeze(client, shadow, projection);
      const renames = Object.entries(projection.tables).flatMap(([logical, table]) => [
        `ALTER TABLE ${table} RENAME TO ${table}__old${this.suffix}`,
        `ALTER TABLE ${tables[logical]!} RENAME TO ${table}`,
      ]);
      for (const statement of renames) await client.query(statement);
      if (checkpoint === undefined) return shadow.position;
      await setCheckpoint(client, projection.name, checkpoint);
      return checkpoint;
    });
    for (const table of Object.values(projection.tables))
      await pool.query(`DROP TABLE IF EXISTS ${table}__old${this.suffix}`);
  }
  private progress(): RebuildProgress {
    const seconds = (Date.now() - this.started) / 1000;
    const eventsPerSecond = seconds > 0 ? Math.round(this.processed / seconds) : 0;
    const left = Math.max(0, this.total - this.processed);
    return {
      rebuildId: this.rebuildId,
      name: this.options.projection.name,
      phase: this.phase,
      position: this.position,
      processed: this.processed,
      total: this.total,
      eventsPerSecond,
      etaSeconds:
        this.phase === 'completed' ? 0 : eventsPerSecond > 0 ? left / eventsPerSecond : null,
    };
  }

  private async persist(
    force: boolean,
    status: 'running' | 'completed' = 'running',
  ): Promise<void> {
    const progress = this.progress();
    this.options.onProgress?.(progress);
    const now = Date.now();
    if (!force && now - this.persistedAt < (this.options.persistEveryMs ?? 500)) return;
    this.persistedAt = now;
    await this.options.pool.query(
      `UPDATE tally_projection_rebuilds SET status = $2, position = $3, processed = $4, total = $5,
              updated_at = now() WHERE rebuild_id = $1`,
      [this.rebuildId, status, progress.position.toString(), progress.processed, progress.total],
    );
  }
}
