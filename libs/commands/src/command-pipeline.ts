import type { Pool, PoolClient } from 'pg';
import { WrongExpectedRevision, type NewEvent, type PostgresEventStore } from '@tally/event-store';
import type { CommandJob } from './command-job';
import { createJob } from './command-job';
import type { CommandReply, DeliveredReply, RejectionLike } from './command-reply';
import type { CommandSpec, DomainEventLike } from './command-spec';
import { errorReply } from './error-codes';
import type { IdempotencyRepository } from './idempotency.repository';
import { DEFAULT_RETRY, backoffDelay, sleep, type RetryPolicy } from './retry-policy';
import { StreamStateCache, type CachedStream } from './stream-state-cache';

export interface CommandObserver {
  conflict(streamId: string): void;
  /** After the commit: the types of the events one batch appended. */
  appended?(types: readonly string[]): void;
  completed(name: string, outcome: string, seconds: number): void;
}

export interface CommandPipelineOptions {
  pool: Pool;
  store: PostgresEventStore;
  idempotency: IdempotencyRepository;
  retry?: RetryPolicy;
  /** Commands of one stream decided and appended together (group commit). */
  maxBatch?: number;
  observer?: CommandObserver;
}

interface Plan {
  job: CommandJob;
  reply?: CommandReply;
  before?: unknown;
  after?: unknown;
  count: number;
  lastIndex: number;
}

const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);
const isConflict = (error: unknown): boolean =>
  error instanceof WrongExpectedRevision ||
  RETRYABLE_PG_CODES.has((error as { code?: string } | undefined)?.code ?? '');

const reused = (): DeliveredReply => ({
  ...errorReply('idempotency_key_reused', 'this Idempotency-Key was used with a different request'),
  replayed: false,
});

/**
 * Serialises commands per stream inside the process and group-commits what queued up
 * meanwhile: one load, one decision pass, one append with one expected revision. The
 * revision check still guards against other processes; a conflict re-reads and re-decides.
 */
export class CommandPipeline {
  private readonly queues = new Map<string, CommandJob[]>();
  private readonly inFlightKeys = new Map<
    string,
    { fingerprint: string; reply: Promise<DeliveredReply> }
  >();
  private readonly cache = new StreamStateCache();
  private readonly retry: RetryPolicy;
  private readonly maxBatch: number;

  constructor(private readonly options: CommandPipelineOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.maxBatch = options.maxBatch ?? 500;
  }

  execute<S, E extends DomainEventLike, Err extends RejectionLike, Ctx>(
    spec: CommandSpec<S, E, Err, Ctx>,
  ): Promise<DeliveredReply> {
    const started = process.hrtime.bigint();
    const run = (): Promise<DeliveredReply> =>
      new Promise((resolve, reject) => this.enqueue(createJob(spec, resolve, reject)));
    const reply = spec.idempotency
      ? this.withKey(spec.idempotency.key, spec.idempotency.fingerprint, run)
      : run();
    return reply.then((delivered) => {
      const outcome = delivered.replayed
        ? 'replayed'
        : delivered.status < 400
          ? 'accepted'
          : String(delivered.body.error);
      this.options.observer?.completed(
        spec.name,
        outcome,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
      return delivered;
    });
  }

  private withKey(
    key: string,
    fingerprint: string,
    run: () => Promise<DeliveredReply>,
  ): Promise<DeliveredReply> {
    const inFlight = this.inFlightKeys.get(key);
    if (inFlight) {
      return inFlight.reply.then((first) =>
        inFlight.fingerprint === fingerprint ? { ...first, replayed: true } : reused(),
      );
    }
    const reply = (async (): Promise<DeliveredReply> => {
      const stored = await this.options.idempotency.find(key);
      if (stored)
        return stored.fingerprint === fingerprint
          ? { status: stored.status, body: stored.body, replayed: true }
          : reused();
      return run();
    })();
    this.inFlightKeys.set(key, { fingerprint, reply });
    const forget = (): void => void this.inFlightKeys.delete(key);
    reply.then(forget, forget);
    return reply;
  }

  private enqueue(job: CommandJob): void {
    const queue = this.queues.get(job.streamId);
    if (queue) {
      queue.push(job);
      return;
    }
    this.queues.set(job.streamId, [job]);
    void this.drain(job.streamId);
  }

  private async drain(streamId: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(streamId);
      if (!queue || queue.length === 0) {
        this.queues.delete(streamId);
        return;
      }
      const batch = queue.splice(0, this.maxBatch);
      await this.runBatch(streamId, batch);
    }
  }

  private async runBatch(streamId: string, jobs: CommandJob[]): Promise<void> {
    // Decide against the cached state, or (a stream this process has not seen) against the
    // initial state, without reading the stream first: an append with that expected revision
    // succeeds only if the stream was in that state, which proves every decision of the batch.
    // A batch that appends nothing proves nothing, so it reads first; a failed guess reads too.
    let mustRead = false;
    for (let attempt = 0; ;) {
      let guessed = false;
      try {
        await Promise.all(jobs.map((job) => job.prepare()));
        let current = mustRead ? undefined : this.cache.get(streamId);
        if (!current && !mustRead) {
          current = { state: jobs[0]!.initialState, revision: -1, position: 0n };
          guessed = true;
        }
        current ??= await this.load(streamId, jobs[0]!);
        const duplicates = await this.commit(streamId, jobs, current, !mustRead);
        for (const job of duplicates) await this.settleDuplicate(job);
        return;
      } catch (error) {
        if (error instanceof UnprovenDecision) {
          mustRead = true;
          continue;
        }
        if (!isConflict(error)) {
          for (const job of jobs) job.fail(error);
          return;
        }
        this.cache.delete(streamId);
        mustRead = true;
        // A stream this process had never seen already existed: not a race, read it and retry.
        if (guessed && error instanceof WrongExpectedRevision) continue;
        this.options.observer?.conflict(streamId);
        if (++attempt >= this.retry.attempts) {
          const reply = errorReply(
            'concurrency_conflict',
            'contention outlasted the retries; retry with the same Idempotency-Key',
          );
          for (const job of jobs) job.settle({ ...reply, replayed: false });
          return;
        }
        await sleep(backoffDelay(this.retry, attempt - 1));
      }
    }
  }

  /** Another transaction owned this key: answer with what it recorded, or run again if it rolled back. */
  private async settleDuplicate(job: CommandJob): Promise<void> {
    const key = job.idempotency!;
    const stored = await this.options.idempotency.find(key.key);
    if (!stored) return this.enqueue(job);
    job.settle(
      stored.fingerprint === key.fingerprint
        ? { status: stored.status, body: stored.body, replayed: true }
        : reused(),
    );
  }

  private async load(streamId: string, job: CommandJob): Promise<CachedStream> {
    let { state, revision, position } = this.cache.get(streamId) ?? {
      state: job.initialState,
      revision: -1,
      position: 0n,
    };
    // The cache may lag other processes: read whatever was appended since.
    for (;;) {
      const events = await this.options.store.readStream(streamId, {
        fromRevision: revision + 1,
        maxCount: 1000,
      });
      const last = events[events.length - 1];
      if (!last) break;
      state = job.replay(state, events);
      revision = last.revision;
      position = last.position;
      if (events.length < 1000) break;
    }
    const fresh = { state, revision, position };
    this.cache.set(streamId, fresh);
    return fresh;
  }

  /**
   * Decides and appends the batch; returns the jobs whose key another transaction owns.
   * `unproven`: `current` was not read from the store just now, so only a successful append
   * (its expected revision) proves it; a batch that would append nothing throws
   * UnprovenDecision instead.
   */
  private async commit(
    streamId: string,
    jobs: CommandJob[],
    current: CachedStream,
    unproven: boolean,
  ): Promise<CommandJob[]> {
    const keyed = jobs.flatMap((job) => (job.idempotency ? [job.idempotency] : []));
    if (keyed.length === 0) {
      const { plans, events, state } = this.decide(jobs, current.state, current.revision);
      if (unproven && events.length === 0) throw new UnprovenDecision();
      const appended =
        events.length > 0
          ? await this.options.store.append(streamId, events, expectedOf(current))
          : undefined;
      if (appended) this.options.observer?.appended?.(events.map((event) => event.type));
      this.finish(streamId, plans, current, events.length, state, appended);
      return [];
    }
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const claimed = await this.options.idempotency.claim(client, keyed);
      const owns = (job: CommandJob): boolean =>
        !job.idempotency || claimed.has(job.idempotency.key);
      const { plans, events, state } = this.decide(
        jobs.filter(owns),
        current.state,
        current.revision,
      );
      if (unproven && events.length === 0) throw new UnprovenDecision();
      const appended =
        events.length > 0
          ? await this.options.store.appendWithin(client, streamId, events, expectedOf(current))
          : undefined;
      const replies = this.replies(plans, current, events.length, appended);
      await this.options.idempotency.record(
        client,
        replies.flatMap(({ job, reply }) =>
          job.idempotency ? [{ key: job.idempotency.key, reply }] : [],
        ),
      );
      await client.query('COMMIT');
      if (appended) {
        this.options.store.notifyAppended();
        this.options.observer?.appended?.(events.map((event) => event.type));
      }
      this.settle(streamId, replies, state, appended);
      return jobs.filter((job) => !owns(job));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private decide(
    jobs: CommandJob[],
    initial: unknown,
    initialRevision: number,
  ): { plans: Plan[]; events: NewEvent[]; state: unknown } {
    let state = initial;
    const events: NewEvent[] = [];
    const plans: Plan[] = [];
    for (const job of jobs) {
      const decision = job.decide(state, initialRevision + events.length);
      if (!decision.ok) {
        plans.push({ job, reply: decision.reply, count: 0, lastIndex: -1 });
        continue;
      }
      const before = state;
      state = decision.after;
      events.push(...decision.events);
      plans.push({
        job,
        before,
        after: state,
        count: decision.events.length,
        lastIndex: events.length - 1,
      });
    }
    return { plans, events, state };
  }

  private replies(
    plans: Plan[],
    current: CachedStream,
    total: number,
    appended: { revision: number; position: bigint } | undefined,
  ): { job: CommandJob; reply: CommandReply }[] {
    let revision = current.revision;
    let position = current.position;
    return plans.map((plan) => {
      if (plan.reply) return { job: plan.job, reply: plan.reply };
      if (plan.count > 0 && appended) {
        // One append's events have consecutive revisions and positions.
        const fromEnd = total - 1 - plan.lastIndex;
        revision = appended.revision - fromEnd;
        position = appended.position - BigInt(fromEnd);
      }
      return {
        job: plan.job,
        reply: plan.job.reply(plan.before, plan.after, plan.count, revision, position),
      };
    });
  }

  private finish(
    streamId: string,
    plans: Plan[],
    current: CachedStream,
    total: number,
    state: unknown,
    appended: { revision: number; position: bigint } | undefined,
  ): void {
    this.settle(streamId, this.replies(plans, current, total, appended), state, appended);
  }

  private settle(
    streamId: string,
    replies: { job: CommandJob; reply: CommandReply }[],
    state: unknown,
    appended: { revision: number; position: bigint } | undefined,
  ): void {
    if (appended)
      this.cache.set(streamId, { state, revision: appended.revision, position: appended.position });
    for (const { job, reply } of replies) job.settle({ ...reply, replayed: false });
  }
}

/** A batch decided against a state the store has not confirmed appends nothing to confirm it. */
class UnprovenDecision extends Error {}

function expectedOf(current: CachedStream): 'no_stream' | number {
  return current.revision === -1 ? 'no_stream' : current.revision;
}

export type { PoolClient };
