import type { NewEvent } from '@tally/event-store';
import type { BoundCommand, DomainEventLike, Idempotency, RejectionLike } from './command-binding';
import type { CommandOutcome, Render, StoredReply } from './command-outcome';

/** An outcome with its state types erased, as one stream's queue holds any command of it. */
export type JobOutcome = CommandOutcome<unknown, RejectionLike>;

export type JobDecision =
  | { ok: true; events: NewEvent[]; after: unknown }
  | { ok: false; outcome: Exclude<JobOutcome, { kind: 'accepted' }> };

export interface JobContext {
  streamId: string;
  initialState: unknown;
  replay: (state: unknown, events: readonly { type: string; data: unknown }[]) => unknown;
}

/** A command's answer: its rendered reply, and how it ended (a metrics label). */
export interface Answer {
  reply: StoredReply;
  replayed: boolean;
  label: string;
}

/**
 * A queued command with its types closed over, so one stream's queue can hold any
 * command of that stream's model.
 */
export interface CommandJob {
  name: string;
  streamId: string;
  initialState: unknown;
  idempotency?: Idempotency;
  /** The other stream the decision reads: its id, initial state and fold. */
  context?: JobContext;
  /**
   * `revision`: the stream's revision at this command's turn in the batch; `context`: the
   * context stream's state (undefined without one).
   */
  decide(state: unknown, revision: number, context: unknown): JobDecision;
  /** Renders what became of the command (not a replay). */
  answer(outcome: JobOutcome): Answer;
  settle(answer: Answer): void;
  fail(error: unknown): void;
  replay: (state: unknown, events: readonly { type: string; data: unknown }[]) => unknown;
}

/** The metrics label of an outcome: the contract's error code where there is one. */
export function outcomeLabel(outcome: JobOutcome): string {
  switch (outcome.kind) {
    case 'accepted':
    case 'revision_mismatch':
    case 'idempotency_key_reused':
      return outcome.kind;
    case 'rejected':
      return outcome.error.code;
    case 'conflict':
      return 'concurrency_conflict';
  }
}

export function createJob<
  S,
  E extends DomainEventLike,
  Err extends RejectionLike,
  Ctx,
  R extends StoredReply,
>(
  command: BoundCommand<S, E, Err, Ctx>,
  render: Render<S, Err, R>,
  settle: (answer: Answer) => void,
  fail: (error: unknown) => void,
): CommandJob {
  const { metadata, expectedRevision, context: stream } = command;
  const evolveAll = (state: S, events: readonly E[]): S => events.reduce(command.evolve, state);
  // Events read back from the context stream are the shapes its fold takes.
  const context: JobContext | undefined = stream && {
    streamId: stream.streamId,
    initialState: stream.initialState,
    replay: (state, events) => (events as never[]).reduce(stream.evolve, state as Ctx),
  };
  return {
    name: command.name,
    streamId: command.streamId,
    initialState: command.initialState,
    idempotency: command.idempotency,
    context,
    decide: (state, revision, context) => {
      if (expectedRevision !== undefined && expectedRevision !== revision) {
        return {
          ok: false,
          outcome: { kind: 'revision_mismatch', expectedRevision, currentRevision: revision },
        };
      }
      const decision = command.decide(state as S, context as Ctx);
      if (!decision.ok) return { ok: false, outcome: { kind: 'rejected', error: decision.error } };
      const events = decision.events.map(
        (e) => ({ type: e.type, data: e.data, metadata }) as NewEvent,
      );
      return { ok: true, events, after: evolveAll(state as S, decision.events) };
    },
    // The pipeline hands a job only outcomes of its own command, hence of S and Err.
    answer: (outcome) => ({
      reply: render(outcome as CommandOutcome<S, Err>),
      replayed: false,
      label: outcomeLabel(outcome),
    }),
    settle,
    fail,
    // Events read back from the store are the same shapes the model produced.
    replay: (state, events) => evolveAll(state as S, events as readonly E[]),
  };
}
