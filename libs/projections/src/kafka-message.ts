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
