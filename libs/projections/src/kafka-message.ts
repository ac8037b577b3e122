import type { EventMetadata, JsonValue, RecordedEvent } from '@tally/event-store';

interface Payload {
  id: string;
  type: string;
  streamId: string;
  revision: number;
  position: string;
  data: JsonValue;
  metadata: EventMetadata;
  recordedAt: string;
}

/** The relay's message value back into a recorded event. */
export function fromMessageValue(value: Buffer | null): RecordedEvent | undefined {
  if (!value) return undefined;
  const payload = JSON.parse(value.toString('utf8')) as Payload;
  return {
    id: payload.id,
    type: payload.type,
    streamId: payload.streamId,
    revision: payload.revision,
    position: BigInt(payload.position),
    data: payload.data,
    metadata: payload.metadata,
    recordedAt: new Date(payload.recordedAt),
  };
}

/** Header `type` of the relay's watermark messages (see libs/relay). */
export const WATERMARK_TYPE = 'tally.watermark';

interface Headers {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined;
}

/** The watermark a relay message carries, if it is one. */
export function watermarkOf(
  headers: Headers | undefined,
  value: Buffer | null,
): { position: bigint; partitions: number } | undefined {
  const type = headers?.type;
  if (type === undefined || type.toString() !== WATERMARK_TYPE || !value) return undefined;
  const payload = JSON.parse(value.toString('utf8')) as { watermark: string; partitions: number };
  return { position: BigInt(payload.watermark), partitions: payload.partitions };
}
