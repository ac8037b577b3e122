import type { EventMetadata } from '@tally/event-store';
import type { CommandReply, Idempotency, RejectionLike } from './command-reply';

export interface DomainEventLike {
  type: string;
  data: object;
}

export type Decided<E, Err> = { ok: true; events: E[] } | { ok: false; error: Err };

export interface StreamModel<S, E extends DomainEventLike> {
  initialState: S;
  evolve: (state: S, event: E) => S;
}

export interface AcceptedOutcome<S> {
  /** The stream's state before and after this command's events. */
  before: S;
  after: S;
  /** How many events this command appended (0: nothing to do). */
  appended: number;
  /** Stream revision after this command. */
  revision: number;
  /** Position of this command's last event, or the stream's last position when it appended nothing. */
  position: bigint;
}

/** One command against one stream: load, decide, append with the expected revision. */
export interface CommandSpec<
  S,
  E extends DomainEventLike,
  Err extends RejectionLike,
  Ctx = undefined,
> {
  /** A name for metrics and logs, e.g. `cast-vote`. */
  name: string;
  streamId: string;
  model: StreamModel<S, E>;
  /** What `decide` needs beyond the stream (e.g. the poll for a ballot); loaded on every attempt. */
  loadContext?: () => Promise<Ctx>;
  decide: (state: S, context: Ctx) => Decided<E, Err>;
  accepted: (outcome: AcceptedOutcome<S>) => CommandReply;
  rejected: (error: Err) => CommandReply;
  metadata: EventMetadata;
  idempotency?: Idempotency;
  /** The caller's view of the stream (HTTP If-Match): refused with 412 when no longer current. */
  expectedRevision?: number;
}
