import type { EventMetadata } from '@tally/event-store';

export interface DomainEventLike {
  type: string;
  data: object;
}

/** A refusal the domain decided; its `code` labels the command's metrics. */
export interface RejectionLike {
  code: string;
}

export type Decided<E, Err> = { ok: true; events: E[] } | { ok: false; error: Err };

export interface Idempotency {
  key: string;
  /** Hash of what the request asked: a reused key must match it. */
  fingerprint: string;
}

/**
 * A stream kind's decider as the pipeline runs it: the stream's state folded from its
 * events, and each command decided against it (and against `context`, another stream's
 * state that the decision needs, e.g. a ballot's poll).
 */
export interface StreamDecider<C, S, E extends DomainEventLike, Err, Ctx = undefined> {
  initialState: S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S, context: Ctx) => Decided<E, Err>;
}

/**
 * Another stream a decision reads (a ballot's poll, a post's thread): its id and how its
 * state folds. The pipeline decides against the state it remembers of it and appends with
 * the condition that the stream is still at that revision, reading it only when it is not.
 */
export interface ContextStream<Ctx, CE extends DomainEventLike = DomainEventLike> {
  streamId: string;
  initialState: Ctx;
  evolve: (state: Ctx, event: CE) => Ctx;
}

/** One command bound to the stream it is decided on: what `CommandPipeline.execute` runs. */
export interface BoundCommand<S, E extends DomainEventLike, Err extends RejectionLike, Ctx> {
  /** A name for metrics and logs, e.g. `cast-vote`. */
  name: string;
  streamId: string;
  initialState: S;
  evolve: (state: S, event: E) => S;
  decide: (state: S, context: Ctx) => Decided<E, Err>;
  /** The other stream `decide` reads, if any. */
  context?: ContextStream<Ctx, never>;
  metadata: EventMetadata;
  idempotency?: Idempotency;
  /** The caller's view of the stream (e.g. HTTP If-Match): a stale one is `revision_mismatch`. */
  expectedRevision?: number;
}

interface Binding<C, S, E extends DomainEventLike, Err, Ctx> {
  name: string;
  streamId: string;
  decider: StreamDecider<C, S, E, Err, Ctx>;
  command: C;
  metadata: EventMetadata;
  idempotency?: Idempotency;
  expectedRevision?: number;
}

/** The binding of a decider that needs no other stream. */
export interface StreamBinding<C, S, E extends DomainEventLike, Err> extends Binding<
  C,
  S,
  E,
  Err,
  undefined
> {
  context?: undefined;
}

/** The binding of a decider that decides against another stream's state. */
export interface ContextBinding<
  C,
  S,
  E extends DomainEventLike,
  Err,
  Ctx,
  CE extends DomainEventLike,
> extends Binding<C, S, E, Err, Ctx> {
  context: ContextStream<Ctx, CE>;
}

/** Binds `command` to its stream and decider: the one way every command reaches the pipeline. */
export function bindCommand<C, S, E extends DomainEventLike, Err extends RejectionLike>(
  binding: StreamBinding<C, S, E, Err>,
): BoundCommand<S, E, Err, undefined>;
export function bindCommand<
  C,
  S,
  E extends DomainEventLike,
  Err extends RejectionLike,
  Ctx,
  CE extends DomainEventLike,
>(binding: ContextBinding<C, S, E, Err, Ctx, CE>): BoundCommand<S, E, Err, Ctx>;
export function bindCommand<
  C,
  S,
  E extends DomainEventLike,
  Err extends RejectionLike,
  Ctx,
  CE extends DomainEventLike,
>(
  binding: StreamBinding<C, S, E, Err> | ContextBinding<C, S, E, Err, Ctx, CE>,
): BoundCommand<S, E, Err, Ctx> {
  const { decider, command } = binding;
  return {
    name: binding.name,
    streamId: binding.streamId,
    initialState: decider.initialState,
    evolve: decider.evolve,
    // Without a context stream, Ctx is undefined: either way the context passed is its state.
    decide: (state, context) =>
      (decider.decide as StreamDecider<C, S, E, Err, Ctx>['decide'])(command, state, context),
    context: binding.context,
    metadata: binding.metadata,
    idempotency: binding.idempotency,
    expectedRevision: binding.expectedRevision,
  };
}
