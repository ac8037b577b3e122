import type { ExpectedRevision } from './event-store.port';

export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedRevision extends EventStoreError {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedRevision';
  }
}

/**
 * A context stream that the append's decision read has moved on since (or was created, or
 * does not exist): the whole append was refused, nothing written. Distinct from
 * WrongExpectedRevision, which is about the stream appended to.
 */
export class ContextStreamMoved extends EventStoreError {
  readonly code = 'context_stream_moved';
  constructor(
    readonly streamId: string,
    readonly expected: number,
    /** -1 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`context stream ${streamId}: expected revision ${expected}, actual ${actual}`);
    this.name = 'ContextStreamMoved';
  }
}

export class InvalidStreamId extends EventStoreError {
  readonly code = 'invalid_stream_id';
  constructor(reason: string) {
    super(`invalid stream id: ${reason}`);
    this.name = 'InvalidStreamId';
  }
}

export class InvalidEvent extends EventStoreError {
  readonly code = 'invalid_event';
  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`invalid event #${index}: ${reason}`);
    this.name = 'InvalidEvent';
  }
}

export class EventTooLarge extends EventStoreError {
  readonly code = 'event_too_large';
  constructor(
    readonly index: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event #${index} is ${bytes} bytes, over the ${limit}-byte limit`);
    this.name = 'EventTooLarge';
  }
}

export class InvalidArgument extends EventStoreError {
  readonly code = 'invalid_argument';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgument';
  }
}
