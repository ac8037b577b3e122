import type { EventStore, EventSubscription, RecordedEvent } from '@tally/event-store';
import type { Pool } from 'pg';
import type { Projection, ProjectionChange } from './projection';

export interface ProjectorOptions {
  pool: Pool;
  store: EventStore;
  projections: readonly Projection[];
  batchSize?: number;
  /** Called after each committed batch. */
  onCommitted?: (
    projection: string,
    position: bigint,
    changes: ProjectionChange[],
    events: readonly RecordedEvent[],
  ) => void;
  onError?: (projection: string, error: unknown) => void;
}

/**
 * Follows the global log for every projection from its own checkpoint. One transaction per
 * batch holds the table changes and the new checkpoint; the checkpoint row is locked and
 * compared first, so two projector processes never apply the same batch twice.
 */
export class Projector {
  private readonly positions = new Map<string, bigint>();
  private readonly loops: Promise<void>[] = [];
  private readonly subscriptions = new Set<EventSubscription>();
  private stopping = false;

  constructor(private readonly options: ProjectorOptions) {}

  /** The last committed position of a projection in this process (0n before the first). */
  position(name: string): bigint {
    return this.positions.get(name) ?? 0n;
  }

  async start(): Promise<void> {
    const { pool, projections } = this.options;
    await pool.query(
      `INSERT INTO tally_projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
      [projections.map((p) => p.name)],
    );
    for (const projection of projections) this.loops.push(this.follow(projection));
  }

  /** Stops between batches: the batch in flight commits first. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.all(this.loops);
  }

  private async follow(projection: Projection): Promise<void> {
    const batchSize = this.options.batchSize ?? 1000;
    while (!this.stopping) {
      try {
        const from = await this.loadCheckpoint(projection.name);
        // stop() may have run while the checkpoint was read: it could not close this one.
        if (this.stopping) return;
        const subscription = this.options.store.subscribeToAll(from, { batchSize });
        this.subscriptions.add(subscription);
        try {
          let expected = from;
          for await (const batch of subscription.batches()) {
            expected = await this.commit(projection, expected, batch);
          }
        } finally {
          this.subscriptions.delete(subscription);
          await subscription.close();
        }
      } catch (error) {
        this.options.onError?.(projection.name, error);
        if (!this.stopping) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async loadCheckpoint(name: string): Promise<bigint> {
    const { rows } = await this.options.pool.query<{ position: string }>(
      'SELECT position FROM tally_projection_checkpoints WHERE name = $1',
      [name],
    );
    const position = BigInt(rows[0]?.position ?? 0);
    this.positions.set(name, position);
    return position;
  }

  private async commit(
    projection: Projection,
    expected: bigint,
    events: readonly RecordedEvent[],
  ): Promise<bigint> {
    const last = events[events.length - 1]!.position;
    const relevant = events.filter((e) => projection.eventTypes.includes(e.type));
    const client = await this.options.pool.connect();
    let changes: ProjectionChange[] = [];
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ position: string }>(
        'SELECT position FROM tally_projection_checkpoints WHERE name = $1 FOR UPDATE',
        [projection.name],
      );
      if (BigInt(rows[0]?.position ?? -1) !== expected) throw new CheckpointMoved(projection.name);
      if (relevant.length > 0)
        changes = await projection.apply(client, relevant, projection.tables);
      await client.query(
        'UPDATE tally_projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1',
        [projection.name, last.toString()],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    this.positions.set(projection.name, last);
    this.options.onCommitted?.(projection.name, last, changes, relevant);
    return last;
  }
}

/** Another projector advanced this projection: re-read the checkpoint and carry on from there. */
export class CheckpointMoved extends Error {
  constructor(name: string) {
    super(`checkpoint of ${name} moved under this projector`);
  }
}
