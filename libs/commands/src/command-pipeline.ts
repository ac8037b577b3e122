import {
  ContextStreamMoved,
  WrongExpectedRevision,
  type EventStore,
  type StoreTransaction,
} from '@tally/event-store';
import {
  committerFor,
  type BatchCommit,
  type CommandStorage,
  type Committer,
} from './batch-commit';
import type { KnownContexts, KnownStream } from './batch-decision';
import type { BoundCommand, DomainEventLike, RejectionLike } from './command-binding';
import { createJob, type Answer, type CommandJob, type JobContext } from './command-job';
import type { Delivered, Render, StoredReply } from './command-outcome';
import { KeyedRequests, answerRecorded } from './keyed-requests';
import { DEFAULT_RETRY, backoffDelay, sleep, type RetryPolicy } from './retry-policy';
import { StreamStateCache } from './stream-state-cache';

export interface CommandObserver {
  conflict(streamId: string): void;
  /** After the commit: the types of the events one batch appended. */
  appended?(types: readonly string[]): void;
  /** `outcome`: `accepted`, `replayed`, or the error code (e.g. `out_of_stock`). */
  completed(name: string, outcome: string, seconds: number): void;
}

export interface CommandPipelineOptions<Tx extends StoreTransaction> extends CommandStorage<Tx> {
  retry?: RetryPolicy;
  /** Commands of one stream decided and appended together (group commit). */
  maxBatch?: number;
  observer?: CommandObserver;
  /**
   * `false`: read every context stream before every decision instead of deciding against
   * the remembered one (a round trip more per command; the design before append
   * conditions, kept to measure against). Default true.
   */
  rememberContexts?: boolean;
}

const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);
const isConflict = (error: unknown): boolean =>
  error instanceof WrongExpectedRevision ||
  error instanceof ContextStreamMoved ||
  RETRYABLE_PG_CODES.has((error as { code?: string } | undefined)?.code ?? '');

const READ_PAGE = 1000;

/**
 * Serialises commands per stream inside the process and group-commits what queued up
 * meanwhile: one load, one decision pass, one append with one expected revision. The
 * revision check still guards against other processes; a conflict re-reads and re-decides.
 *
 * `Tx` only ties the event store to the idempotency store that joins its transactions.
 */
export class CommandPipeline<Tx extends StoreTransaction = StoreTransaction> {
  private readonly queues = new Map<string, CommandJob[]>();
  private readonly cache = new StreamStateCache();
  private readonly committer: Committer;
  private readonly keys: KeyedRequests;
  private readonly retry: RetryPolicy;
  private readonly maxBatch: number;
  private readonly observer: CommandObserver | undefined;
  private readonly rememberContexts: boolean;
  private readonly readStream: EventStore['readStream'];

  constructor(options: CommandPipelineOptions<Tx>) {
    const { store } = options;
    this.committer = committerFor(options);
    this.keys = new KeyedRequests((key) => this.committer.find(key));
    this.readStream = (streamId, read) => store.readStream(streamId, read);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.maxBatch = options.maxBatch ?? 500;
    this.observer = options.observer;
    this.rememberContexts = options.rememberContexts ?? true;
  }

  /** Runs `command`; `render` turns its outcome into the reply stored with its Idempotency-Key. */
  execute<S, E extends DomainEventLike, Err extends RejectionLike, Ctx, R extends StoredReply>(
    command: BoundCommand<S, E, Err, Ctx>,
    render: Render<S, Err, R>,
  ): Promise<Delivered<R>> {
    const started = process.hrtime.bigint();
    const run = (): Promise<Answer> =>
      new Promise((resolve, reject) => this.enqueue(createJob(command, render, resolve, reject)));
    const reused = (): Answer => ({
      reply: render({ kind: 'idempotency_key_reused' }),
      replayed: false,
      label: 'idempotency_key_reused',
    });
    const answer = command.idempotency ? this.keys.run(command.idempotency, reused, run) : run();
    return answer.then(({ reply, replayed, label }) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observer?.completed(command.name, label, seconds);
      // A stored reply is the JSON of one this very render produced.
      return { reply: reply as R, replayed };
    });
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

  /**
   * The first attempt decides against what this process remembers (its cache, or for a
   * stream it has never seen the initial state) without reading the stream: the append's
   * expected revision proves it. A context stream is read only when it is not remembered:
   * the append's condition proves it too. Every later attempt reads what it decides on.
   */
  private async runBatch(streamId: string, jobs: CommandJob[]): Promise<void> {
    let source: 'memory' | 'store' = 'memory';
    for (let attempt = 0; ;) {
      let current: KnownStream | undefined;
      let contexts: KnownContexts | undefined;
      try {
        [current, contexts] = await Promise.all([
          source === 'memory'
            ? this.remembered(streamId, jobs[0]!)
            : this.load(streamId, jobs[0]!.initialState, jobs[0]!.replay),
          this.contexts(jobs, source),
        ]);
        const result = await this.committer.commit(streamId, jobs, current, contexts);
        source = 'store';
        if (result.kind === 'unproven') continue;
        this.settle(streamId, result);
        for (const job of result.duplicates) await this.settleDuplicate(job);
        return;
      } catch (error) {
        if (!isConflict(error)) {
          for (const job of jobs) job.fail(error);
          return;
        }
        this.cache.delete(error instanceof ContextStreamMoved ? error.streamId : streamId);
        source = 'store';
        // Decided on what this process remembered, and the store knew better: not a race.
        if (wasStale(error, current, contexts)) continue;
        this.observer?.conflict(streamId);
        if (++attempt >= this.retry.attempts) {
          for (const job of jobs) job.settle(job.answer({ kind: 'conflict' }));
          return;
        }
        await sleep(backoffDelay(this.retry, attempt - 1));
      }
    }
  }

  /** The context streams of the batch's commands: remembered, or read. */
  private async contexts(jobs: CommandJob[], source: 'memory' | 'store'): Promise<KnownContexts> {
    const streams = new Map<string, JobContext>();
    for (const { context } of jobs) if (context) streams.set(context.streamId, context);
    const known = new Map<string, KnownStream>();
    await Promise.all(
      [...streams.values()].map(async ({ streamId, initialState, replay }) => {
        const cached =
          source === 'memory' && this.rememberContexts ? this.cache.get(streamId) : undefined;
        known.set(
          streamId,
          cached
            ? { ...cached, provenance: 'cached' }
            : await this.load(streamId, initialState, replay),
        );
      }),
    );
    return known;
  }

  private settle(streamId: string, result: Extract<BatchCommit, { kind: 'committed' }>): void {
    const { appended, state } = result;
    if (appended) {
      this.cache.set(streamId, { state, revision: appended.revision, position: appended.position });
      this.observer?.appended?.(result.types);
    }
    for (const { job, answer } of result.answers) job.settle(answer);
  }

  /** Another transaction owned this key: answer with what it recorded, or run again if it rolled back. */
  private async settleDuplicate(job: CommandJob): Promise<void> {
    const { key, fingerprint } = job.idempotency!;
    const recorded = await this.committer.find(key);
    if (!recorded) return this.enqueue(job);
    job.settle(
      answerRecorded(recorded, fingerprint, () => job.answer({ kind: 'idempotency_key_reused' })),
    );
  }

  private remembered(streamId: string, job: CommandJob): KnownStream {
    const cached = this.cache.get(streamId);
    if (cached) return { ...cached, provenance: 'cached' };
    return { state: job.initialState, revision: -1, position: 0n, provenance: 'guessed' };
  }

  /** The cache may lag other processes: read whatever was appended since. */
  private async load(
    streamId: string,
    initialState: unknown,
    replay: CommandJob['replay'],
  ): Promise<KnownStream> {
    let { state, revision, position } = this.cache.get(streamId) ?? {
      state: initialState,
      revision: -1,
      position: 0n,
    };
    for (;;) {
      const events = await this.readStream(streamId, {
        fromRevision: revision + 1,
        maxCount: READ_PAGE,
      });
      const last = events[events.length - 1];
      if (!last) break;
      state = replay(state, events);
      revision = last.revision;
      position = last.position;
      if (events.length < READ_PAGE) break;
    }
    this.cache.set(streamId, { state, revision, position });
    return { state, revision, position, provenance: 'read' };
  }
}

/**
 * A refusal of a state this process did not read just now: a stream it had never seen
 * already existed, or a remembered context moved. Reading it is the answer, not a retry.
 */
function wasStale(
  error: unknown,
  current: KnownStream | undefined,
  contexts: KnownContexts | undefined,
): boolean {
  if (error instanceof ContextStreamMoved)
    return contexts?.get(error.streamId)?.provenance === 'cached';
  return current?.provenance === 'guessed' && error instanceof WrongExpectedRevision;
}
