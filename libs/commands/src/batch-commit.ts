import type {
  AppendResult,
  NewEvent,
  StoreTransaction,
  StreamCondition,
  TransactionalEventStore,
} from '@tally/event-store';
import {
  conditionsOf,
  decideBatch,
  isProven,
  outcomesOf,
  type KnownContexts,
  type KnownStream,
} from './batch-decision';
import type { Answer, CommandJob } from './command-job';
import type { StoredReply } from './command-outcome';
import type { IdempotencyStore, RecordedReply } from './idempotency-store.port';

/** The event store and the idempotency store that joins its transactions. */
export interface CommandStorage<Tx extends StoreTransaction> {
  store: TransactionalEventStore<Tx>;
  idempotency: IdempotencyStore<Tx>;
  /**
   * Why a decided event is not of its type's shape (undefined when it is): checked before the
   * append, so that no command writes an event a projector would have to park.
   */
  checkEvent?: (event: NewEvent) => string | undefined;
}

/** A decider emitted an event that fails its shape check: a bug, nothing is appended. */
export class MalformedDecidedEvent extends Error {
  constructor(type: string, problem: string) {
    super(`decided ${type} event is malformed: ${problem}`);
  }
}

export type BatchCommit =
  /** Decided on a state not read just now, and appending nothing to prove it: read, decide again. */
  | { kind: 'unproven' }
  | {
      kind: 'committed';
      answers: { job: CommandJob; answer: Answer }[];
      state: unknown;
      appended: AppendResult | undefined;
      /** The types of the events appended, in order. */
      types: string[];
      /** Jobs whose Idempotency-Key another transaction owns: not decided here. */
      duplicates: CommandJob[];
    };

/** Where one batch appends and records its keyed answers. */
interface Sink {
  append(
    streamId: string,
    events: NewEvent[],
    expected: 'no_stream' | number,
    conditions: readonly StreamCondition[],
  ): Promise<AppendResult>;
  record(replies: { key: string; reply: StoredReply }[]): Promise<void>;
}

/** The pipeline's storage with the transaction type closed over. */
export interface Committer {
  commit(
    streamId: string,
    jobs: CommandJob[],
    current: KnownStream,
    contexts: KnownContexts,
  ): Promise<BatchCommit>;
  find(key: string): Promise<RecordedReply | undefined>;
}

const expectedOf = (current: KnownStream): 'no_stream' | number =>
  current.revision === -1 ? 'no_stream' : current.revision;

/**
 * Decide, append (one expected revision for the batch, and the contexts it was decided
 * against as conditions), render, record the keyed answers.
 */
async function decideAndAppend(
  sink: Sink,
  streamId: string,
  jobs: CommandJob[],
  current: KnownStream,
  contexts: KnownContexts,
  checkEvent: CommandStorage<StoreTransaction>['checkEvent'],
): Promise<BatchCommit> {
  const decision = decideBatch(jobs, current, contexts);
  if (!isProven(decision, current, contexts)) return { kind: 'unproven' };
  const { events } = decision;
  for (const event of events) {
    const problem = checkEvent?.(event);
    if (problem) throw new MalformedDecidedEvent(event.type, problem);
  }
  const appended =
    events.length > 0
      ? await sink.append(streamId, events, expectedOf(current), conditionsOf(contexts))
      : undefined;
  const answers = outcomesOf(decision, current, appended).map(({ job, outcome }) => ({
    job,
    answer: job.answer(outcome),
  }));
  await sink.record(
    answers.flatMap(({ job, answer }) =>
      job.idempotency ? [{ key: job.idempotency.key, reply: answer.reply }] : [],
    ),
  );
  const types = appended ? events.map((event) => event.type) : [];
  return { kind: 'committed', answers, state: decision.state, appended, types, duplicates: [] };
}

/**
 * One commit path. Without keys the append goes to the store alone (its cross-stream
 * group commit, one round trip); with keys it shares a transaction with their claims and
 * records, so a key is recorded exactly when its events are.
 */
export function committerFor<Tx extends StoreTransaction>({
  store,
  idempotency,
  checkEvent,
}: CommandStorage<Tx>): Committer {
  const direct: Sink = {
    append: (streamId, events, expected, conditions) =>
      store.append(streamId, events, expected, { conditions }),
    record: () => Promise.resolve(),
  };
  return {
    find: (key) => idempotency.find(key),
    commit: (streamId, jobs, current, contexts) => {
      const keyed = jobs.flatMap((job) => (job.idempotency ? [job.idempotency] : []));
      if (keyed.length === 0)
        return decideAndAppend(direct, streamId, jobs, current, contexts, checkEvent);
      const scope = { streams: [streamId], conditions: conditionsOf(contexts) };
      return store.withinTransaction<BatchCommit>(scope, async (tx) => {
        const claimed = await idempotency.claim(tx, keyed);
        const owns = (job: CommandJob): boolean =>
          !job.idempotency || claimed.has(job.idempotency.key);
        const sink: Sink = {
          append: (streamId, events, expected, conditions) =>
            tx.append(streamId, events, expected, { conditions }),
          record: (replies) => idempotency.record(tx, replies),
        };
        const result = await decideAndAppend(
          sink,
          streamId,
          jobs.filter(owns),
          current,
          contexts,
          checkEvent,
        );
        if (result.kind === 'unproven') return { commit: false, value: result };
        const duplicates = jobs.filter((job) => !owns(job));
        return { commit: true, value: { ...result, duplicates } };
      });
    },
  };
}
