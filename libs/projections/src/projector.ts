import type { EventStore, FoldEvent, FoldSubscription, LogPage } from '@tally/event-store';
import { inTransaction, isDatabaseUnavailable } from '@tally/infra';
import type { Pool } from 'pg';
import { advanceIdle, beginAdvancing, ensureCheckpoints, readCheckpoints } from './checkpoints';
import { foldOrPark, type PoisonEvent } from './parking';
import type { Projection, ProjectionChange } from './projection';

export interface ProjectorOptions {
  pool: Pool;
  store: EventStore;
  projections: readonly Projection[];
  batchSize?: number;
  /** Checkpoints of projections a page does not concern: written at most this often (ms, 100). */
  idleCheckpointMs?: number;
  /**
   * Wait for each batch's commit to reach the disk. Default false (synchronous_commit off): a
   * crash can lose the last batches only together with their checkpoint, and the projector
   * folds them again from the durable log. Counts stay exact.
   */
  synchronousCommit?: boolean;
  /**
   * After a page that was not full (caught up), wait this long before the next read, so that
   * a steady load gives fewer, larger batches; a lone event is never delayed. Default 25 ms.
   */
  pacingMs?: number;
  /** After each commit (batch or idle checkpoint); it covered exactly (from, position]. */
  onCommitted?: (
    projection: string,
    position: bigint,
    changes: ProjectionChange[],
    events: readonly FoldEvent[],
    from: bigint,
  ) => void;
  onError?: (projection: string, error: unknown) => void;
  /** Called after a committed batch that parked events (malformed, or their fold threw). */
  onParked?: (projection: string, parked: readonly PoisonEvent[]) => void;
}

/** A projection as one follower sees it. */
interface Member {
  projection: Projection;
  types: ReadonlySet<string>;
  /** The checkpoint as stored in the database, as far as this process knows. */
  stored: bigint;
  /** Every event up to here is applied (stored) or of no concern to the projection. */
  read: bigint;
}

const RETRY_MS = 500;

/**
 * Follows the global log for every projection from its own checkpoint. The projections
 * share one reader: each page of the log is read and decoded once and handed to each of
 * them. A projection with events in the page applies them in one transaction that also
 * moves its checkpoint (compared first, so two projector processes never apply the same
 * batch twice); a projection the page does not concern commits nothing then, and its
 * checkpoint is moved forward at most every `idleCheckpointMs` by one statement for all.
 * A projection whose batch fails (or whose checkpoint another process moved) leaves the
 * shared reader and retries on a reader of its own, from its stored checkpoint.
 */
export class Projector {
  private readonly positions = new Map<string, bigint>();
  private readonly loops = new Set<Promise<void>>();
  private readonly subscriptions = new Set<FoldSubscription>();
  private readonly sleepers = new Set<() => void>();
  private stopping = false;

  constructor(private readonly options: ProjectorOptions) {}

  /** The last committed position of a projection in this process (0n before the first). */
  position(name: string): bigint {
    return this.positions.get(name) ?? 0n;
  }

  async start(): Promise<void> {
    const { pool, projections } = this.options;
    await ensureCheckpoints(
      pool,
      projections.map((p) => p.name),
    );
    this.spawn(projections, 0);
  }

  /** Stops between batches: the batch in flight commits first. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.sleepers]) wake();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    while (this.loops.size > 0) await Promise.all([...this.loops]);
  }

  private spawn(projections: readonly Projection[], delayMs: number): void {
    const loop = this.follow(projections, delayMs);
    this.loops.add(loop);
    void loop.finally(() => this.loops.delete(loop));
  }

  /** Resolves after `ms`, or at once when the projector stops. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** One reader for `projections`; a failing member is split off onto a reader of its own. */
  private async follow(projections: readonly Projection[], delayMs: number): Promise<void> {
    await this.sleep(delayMs);
    let members: Member[] = [];
    const idle = new IdleCheckpoints(
      (due) => this.writeIdle(due),
      () => this.stopping,
      this.options.idleCheckpointMs ?? 100,
    );
    try {
      if (this.stopping) return;
      members = await this.loadMembers(projections);
      // stop() may have run while the checkpoints were read: it could not close this one.
      if (this.stopping) return;
      const from = members.reduce((min, m) => (m.read < min ? m.read : min), members[0]!.read);
      // Only the events some member takes are read; the others are passed over in SQL.
      const types = [...new Set(members.flatMap((m) => m.projection.eventTypes))];
      const subscription = this.options.store.subscribeToFold(from, {
        batchSize: this.options.batchSize ?? 1000,
        types,
      });
      this.subscriptions.add(subscription);
      try {
        const batchSize = this.options.batchSize ?? 1000;
        const pacingMs = this.options.pacingMs ?? 25;
        let paceFrom = 0;
        for await (const page of subscription.pages()) {
          const failed = await idle.serial(() => this.dispatch(members, page));
          if (failed.length > 0) {
            members = members.filter((m) => !failed.includes(m));
            for (const m of failed) this.spawn([m.projection], RETRY_MS);
            if (members.length === 0) return;
          }
          idle.pending(members);
          // Caught up: let the next page gather what arrives meanwhile.
          if (page.events.length < batchSize) {
            const since = Date.now() - paceFrom;
            if (since < pacingMs) await this.sleep(pacingMs - since);
            paceFrom = Date.now();
          }
        }
      } finally {
        this.subscriptions.delete(subscription);
        await subscription.close();
      }
    } catch (error) {
      const retry = members.length > 0 ? members.map((m) => m.projection) : projections;
      for (const p of retry) this.options.onError?.(p.name, error);
      if (!this.stopping) this.spawn(retry, RETRY_MS);
    } finally {
      await idle.close(members);
    }
  }

  private async loadMembers(projections: readonly Projection[]): Promise<Member[]> {
    const stored = await readCheckpoints(
      this.options.pool,
      projections.map((p) => p.name),
    );
    return projections.map((projection) => {
      const position = stored.get(projection.name) ?? 0n;
      this.positions.set(projection.name, position);
      return {
        projection,
        types: new Set(projection.eventTypes),
        stored: position,
        read: position,
      };
    });
  }

  /** Hands a page to every member; returns the members whose batch failed. */
  private async dispatch(members: Member[], page: LogPage<FoldEvent>): Promise<Member[]> {
    const { events, through: last } = page;
    const failed: Member[] = [];
    let down: Error | undefined;
    await Promise.all(
      members.map(async (m) => {
        if (m.read >= last) return;
        const relevant = events.filter((e) => e.position > m.read && m.types.has(e.type));
        if (relevant.length === 0) {
          m.read = last;
          return;
        }
        try {
          await this.commit(m, relevant, last);
        } catch (error) {
          if (isDatabaseUnavailable(error)) return void (down ??= error as Error);
          this.options.onError?.(m.projection.name, error);
          failed.push(m);
        }
      }),
    );
    if (down !== undefined) throw down; // the store is down, not the batch: all retry together
    return failed;
  }

  private async commit(m: Member, events: readonly FoldEvent[], last: bigint): Promise<void> {
    const { projection } = m;
    // One round trip opens the transaction and moves the checkpoint (locks its row, compares
    // it with what we last stored). What the fold refuses is parked: the checkpoint passes it.
    const { changes, folded, parked } = await inTransaction(
      this.options.pool,
      (client) => foldOrPark(client, projection, events),
      {
        begin: (client) =>
          beginAdvancing(
            client,
            { name: projection.name, from: m.stored, to: last, events: events.length },
            { synchronousCommit: this.options.synchronousCommit },
          ),
      },
    );
    const from = m.stored;
    m.stored = last;
    m.read = last;
    this.positions.set(projection.name, last);
    if (parked.length > 0) this.options.onParked?.(projection.name, parked);
    this.options.onCommitted?.(projection.name, last, changes, folded, from);
  }

  /** Writes the checkpoints of members that read past their stored one, in one statement. */
  private async writeIdle(members: readonly Member[]): Promise<void> {
    const due = members.filter((m) => m.read > m.stored);
    if (due.length === 0) return;
    const written = await advanceIdle(
      this.options.pool,
      due.map((m) => ({ name: m.projection.name, from: m.stored, to: m.read })),
    );
    for (const m of due) {
      const position = written.get(m.projection.name);
      // Not written: another process holds a checkpoint at least as far. A batch of ours
      // will then find the checkpoint moved, and that member re-reads it.
      if (position === undefined) continue;
      const from = m.stored;
      m.stored = position;
      this.positions.set(m.projection.name, position);
      this.options.onCommitted?.(m.projection.name, position, [], [], from);
    }
  }
}

/**
 * Idle checkpoints of one reader: written at most every `everyMs`, on the reader's serial
 * chain so that they never race its own batches, and once more when the reader ends.
 */
class IdleCheckpoints {
  private chain: Promise<unknown> = Promise.resolve();
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;
  private members: readonly Member[] = [];

  constructor(
    private readonly writeIdle: (members: readonly Member[]) => Promise<void>,
    private readonly stopped: () => boolean,
    private readonly everyMs: number,
  ) {}

  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** After a page: schedules the write of checkpoints that moved without a batch. */
  pending(members: readonly Member[]): void {
    this.members = members;
    if (this.timer || !members.some((m) => m.read > m.stored)) return;
    const wait = Math.max(0, this.lastWrite + this.everyMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped()) return;
      void this.serial(() => this.write());
    }, wait);
  }

  async close(members: readonly Member[]): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.members = members;
    await this.serial(() => this.write()).catch(() => undefined);
  }

  private async write(): Promise<void> {
    this.lastWrite = Date.now();
    await this.writeIdle(this.members);
  }
}
