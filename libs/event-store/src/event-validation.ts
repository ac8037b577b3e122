import { randomUUID } from 'node:crypto';
import { EventTooLarge, InvalidArgument, InvalidEvent, InvalidStreamId } from './errors';
import type {
  AppendOptions,
  ExpectedRevision,
  NewEvent,
  StreamCondition,
} from './event-store.port';
import { jsonProblem, textProblem } from './json-guard';
import {
  MAX_CONDITIONS_PER_APPEND,
  MAX_EVENT_BYTES,
  MAX_EVENT_TYPE_LENGTH,
  MAX_EVENTS_PER_APPEND,
  MAX_STREAM_ID_LENGTH,
} from './limits';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string') throw new InvalidStreamId('not a string');
  if (streamId.length === 0) throw new InvalidStreamId('empty');
  if (streamId.length > MAX_STREAM_ID_LENGTH) {
    throw new InvalidStreamId(`longer than ${MAX_STREAM_ID_LENGTH} characters`);
  }
  if (CONTROL.test(streamId) || textProblem(streamId)) {
    throw new InvalidStreamId('contains control characters or unpaired surrogates');
  }
}

export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidArgument(
    `expected revision ${String(expected)} is not any, no_stream, stream_exists or a revision >= 0`,
  );
}

/**
 * The append's context-stream conditions, checked and copied: each a valid stream id other
 * than the appended one and not repeated, with an integer revision >= -1.
 */
export function appendConditions(streamId: string, options: unknown): StreamCondition[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgument('append options must be an object');
  }
  const { conditions } = options as AppendOptions;
  if (conditions === undefined) return [];
  if (!Array.isArray(conditions)) throw new InvalidArgument('conditions must be an array');
  if (conditions.length > MAX_CONDITIONS_PER_APPEND) {
    throw new InvalidArgument(`an append takes at most ${MAX_CONDITIONS_PER_APPEND} conditions`);
  }
  const seen = new Set<string>([streamId]);
  return conditions.map((condition: unknown, index) => {
    const problem = (reason: string) => new InvalidArgument(`condition #${index}: ${reason}`);
    if (typeof condition !== 'object' || condition === null) throw problem('not an object');
    const { streamId: id, revision } = condition as Partial<Record<keyof StreamCondition, unknown>>;
    try {
      assertStreamId(id);
    } catch (error) {
      if (error instanceof InvalidStreamId) throw problem(error.message);
      throw error;
    }
    if (seen.has(id)) throw problem(`stream ${id} is the appended stream or already conditioned`);
    seen.add(id);
    if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < -1) {
      throw problem('revision must be an integer >= -1');
    }
    return { streamId: id, revision };
  });
}

const MAX_READ = 10_000;

/** A read's page size: 1 to 10,000 events. */
export function assertLimit(limit: unknown, name: string): asserts limit is number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_READ) {
    throw new InvalidArgument(`${name} must be an integer from 1 to ${MAX_READ}`);
  }
}

/** countEvents' optional limit: a positive integer. */
export function assertCountLimit(limit: unknown): void {
  if (
    limit !== undefined &&
    (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)
  ) {
    throw new InvalidArgument('limit must be a positive integer');
  }
}

export function assertPosition(position: unknown, name: string): asserts position is bigint {
  if (typeof position !== 'bigint' || position < 0n) {
    throw new InvalidArgument(`${name} must be a bigint >= 0`);
  }
}

/**
 * Validates every event and serialises the batch as the JSON array the append function
 * takes; nothing is sent to the database unless all of them pass.
 */
export function serialiseEvents(events: readonly NewEvent[]): string {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidArgument('append needs at least one event');
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidArgument(`append takes at most ${MAX_EVENTS_PER_APPEND} events`);
  }
  const list: readonly NewEvent[] = events;
  const parts = list.map((event, index) => serialiseEvent(event, index));
  return `[${parts.join(',')}]`;
}

function serialiseEvent(event: NewEvent, index: number): string {
  if (typeof event !== 'object' || event === null) throw new InvalidEvent(index, 'not an object');
  const { type, data, metadata = {} } = event;
  if (
    typeof type !== 'string' ||
    type.length === 0 ||
    type.length > MAX_EVENT_TYPE_LENGTH ||
    CONTROL.test(type) ||
    textProblem(type)
  ) {
    throw new InvalidEvent(index, `type must be 1-${MAX_EVENT_TYPE_LENGTH} printable characters`);
  }
  const id = event.id ?? randomUUID();
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidEvent(index, 'id must be a UUID');
  const dataProblem = jsonProblem(data, '$data');
  if (dataProblem) throw new InvalidEvent(index, dataProblem);
  const metadataProblem = jsonProblem(metadata, '$metadata');
  if (metadataProblem) throw new InvalidEvent(index, metadataProblem);
  if (typeof metadata !== 'object' || Array.isArray(metadata) || metadata === null) {
    throw new InvalidEvent(index, 'metadata must be an object');
  }
  const dataJson = JSON.stringify(data);
  const metadataJson = JSON.stringify(metadata);
  const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
  if (bytes > MAX_EVENT_BYTES) throw new EventTooLarge(index, bytes, MAX_EVENT_BYTES);
  return `{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"data":${dataJson},"metadata":${metadataJson}}`;
}
