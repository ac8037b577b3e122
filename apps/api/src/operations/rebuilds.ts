import type { EventStore } from '@tally/event-store';
import type { Logger } from '@tally/infra';
import {
  kafkaSwapMode,
  RebuildInProgress,
  startRebuild,
  type Projection,
} from '@tally/projections';
import type { Pool } from 'pg';
import { ApiError } from '../http/api-error';

/** Rebuilds started through the API run in this process, in the background. */
export class Rebuilds {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly projections: readonly Projection[],
    private readonly kafkaMode: boolean,
    private readonly logger: Logger,
  ) {}

  async start(name: string): Promise<{ name: string; rebuildId: string }> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) {
      throw new ApiError('projection_not_found', `no projection named '${name}'`, {
        projections: this.projections.map((p) => p.name),
      });
    }
    const abort = new AbortController();
    const log = this.logger.child({ component: 'rebuild', projection: name });
    let lastLogged = 0;
    try {
      const { rebuildId, done } = await startRebuild({
        pool: this.pool,
        store: this.store,
        projection,
        signal: abort.signal,
        // Kafka mode: the swapped tables match the consumer group's stored offsets.
        mode: this.kafkaMode ? kafkaSwapMode(this.pool, this.store) : undefined,
        onProgress: (p) => {
          if (Date.now() - lastLogged < 5000 && p.phase !== 'completed') return;
          lastLogged = Date.now();
          log.info(
            {
              rebuildId,
              phase: p.phase,
              processed: p.processed,
              total: p.total,
              eventsPerSecond: p.eventsPerSecond,
            },
            'rebuild progress',
          );
        },
      });
      const settled = done.then(
        () => log.info({ rebuildId }, 'rebuild swapped in'),
        (error: unknown) =>
          log.warn({ rebuildId, err: error }, 'rebuild failed; live tables untouched'),
      );
      this.running.set(rebuildId, { abort, done: settled });
      void settled.finally(() => this.running.delete(rebuildId));
      return { name, rebuildId };
    } catch (error) {
      if (error instanceof RebuildInProgress) {
        throw new ApiError('rebuild_in_progress', `a rebuild of ${name} is already running`, {
          rebuildId: error.rebuildId ?? null,
        });
      }
      throw error;
    }
  }

  /** Stops running rebuilds between batches; their live projections stay as they were. */
  async stop(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort();
    await Promise.all(all.map((r) => r.done));
  }
}
