import type { EventMetadata, NewEvent } from '@tally/event-store';
import type { CommandReply, DeliveredReply, Idempotency, RejectionLike } from './command-reply';
import type { CommandSpec, DomainEventLike } from './command-spec';
import { errorReply } from './error-codes';

export type JobDecision =
  { ok: true; events: NewEvent[]; after: unknown } | { ok: false; reply: CommandReply };

/**
 * A queued command with its types closed over, so one stream's queue can hold any
 * command of that stream's model.
 */
export interface CommandJob {
  name: string;
  streamId: string;
  initialState: unknown;
  idempotency?: Idempotency;
  prepare(): Promise<void>;
  /** `revision`: the stream's revision at this command's turn in the batch. */
  decide(state: unknown, revision: number): JobDecision;
  reply(
    before: unknown,
    after: unknown,
    appended: number,
    revision: number,
    position: bigint,
  ): CommandReply;
  settle(reply: DeliveredReply): void;
  fail(error: unknown): void;
  replay(state: unknown, events: readonly { type: string; data: unknown }[]): unknown;
}

export function createJob<S, E extends DomainEventLike, Err extends RejectionLike, Ctx>(
  spec: CommandSpec<S, E, Err, Ctx>,
  settle: (reply: DeliveredReply) => void,
  fail: (error: unknown) => void,
): CommandJob {
  let context: Ctx | undefined;
  const metadata: EventMetadata = spec.metadata;
  const evolveAll = (state: S, events: readonly E[]): S => events.reduce(spec.model.evolve, state);
  return {
    name: spec.name,
    streamId: spec.streamId,
    initialState: spec.model.initialState,
    idempotency: spec.idempotency,
    prepare: async () => {
      context = spec.loadContext ? await spec.loadContext() : undefined;
    },
    decide: (state, revision) => {
      if (spec.expectedRevision !== undefined && spec.expectedRevision !== revision) {
        const reply = errorReply(
          'revision_mismatch',
          `expected revision ${spec.expectedRevision}, current is ${revision}`,
          {
            currentRevision: revision,
          },
        );
        return { ok: false, reply };
      }
      const decision = spec.decide(state as S, context as Ctx);
      if (!decision.ok) return { ok: false, reply: spec.rejected(decision.error) };
      const events = decision.events.map(
        (e) => ({ type: e.type, data: e.data, metadata }) as NewEvent,
      );
      return { ok: true, events, after: evolveAll(state as S, decision.events) };
    },
    reply: (before, after, appended, revision, position) =>
      spec.accepted({ before: before as S, after: after as S, appended, revision, position }),
    settle,
    fail,
    // Events read back from the store are the same shapes the model produced.
    replay: (state, events) => evolveAll(state as S, events as readonly E[]),
  };
}
