import type { AppendResult, NewEvent, StreamCondition } from '@tally/event-store';
import type { CommandJob, JobOutcome } from './command-job';
import type { CachedStream } from './stream-state-cache';

/**
 * Where the state a batch is decided against comes from: this process's cache, the
 * initial state of a stream it has never seen, or the store just now. Only `read` is
 * known to be current; the others are proven by the append's expected revision.
 */
export type Provenance = 'cached' | 'guessed' | 'read';

export interface KnownStream extends CachedStream {
  provenance: Provenance;
}

/** The states of the context streams a batch is decided against, by stream id. */
export type KnownContexts = ReadonlyMap<string, KnownStream>;

/** The append's conditions: every context the batch was decided against, at that revision. */
export const conditionsOf = (contexts: KnownContexts): StreamCondition[] =>
  [...contexts].map(([streamId, { revision }]) => ({ streamId, revision }));

interface Plan {
  job: CommandJob;
  /** Set when the command was refused. */
  outcome?: JobOutcome;
  before?: unknown;
  after?: unknown;
  count: number;
  lastIndex: number;
}

export interface BatchDecision {
  plans: Plan[];
  events: NewEvent[];
  state: unknown;
}

/** Each command decided against the state the ones before it left: one append for all. */
export function decideBatch(
  jobs: readonly CommandJob[],
  current: KnownStream,
  contexts: KnownContexts,
): BatchDecision {
  let state = current.state;
  const events: NewEvent[] = [];
  const plans: Plan[] = [];
  for (const job of jobs) {
    const context = job.context && contexts.get(job.context.streamId)?.state;
    const decision = job.decide(state, current.revision + events.length, context);
    if (!decision.ok) {
      plans.push({ job, outcome: decision.outcome, count: 0, lastIndex: -1 });
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

/**
 * A decision against a state not read just now is proven only by an append (its expected
 * revision, and its conditions for the contexts): one that appends nothing must be made
 * again on states read from the store.
 */
export const isProven = (
  decision: BatchDecision,
  current: KnownStream,
  contexts: KnownContexts,
): boolean =>
  decision.events.length > 0 ||
  (current.provenance === 'read' &&
    [...contexts.values()].every((context) => context.provenance === 'read'));

/** Each command's outcome, its revision and position taken from the one append. */
export function outcomesOf(
  decision: BatchDecision,
  current: KnownStream,
  appended: AppendResult | undefined,
): { job: CommandJob; outcome: JobOutcome }[] {
  const total = decision.events.length;
  let revision = current.revision;
  let position = current.position;
  return decision.plans.map((plan) => {
    if (plan.outcome) return { job: plan.job, outcome: plan.outcome };
    if (plan.count > 0 && appended) {
      // One append's events have consecutive revisions and positions.
      const fromEnd = total - 1 - plan.lastIndex;
      revision = appended.revision - fromEnd;
      position = appended.position - BigInt(fromEnd);
    }
    const outcome: JobOutcome = {
      kind: 'accepted',
      before: plan.before,
      after: plan.after,
      appended: plan.count,
      revision,
      position,
    };
    return { job: plan.job, outcome };
  });
}
