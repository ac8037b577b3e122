import type { RecordedEvent } from '@tally/event-store';

export const EVENTS_TOPIC = 'tally.events';

export interface EventMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Key = stream id, so one stream's events share a partition and keep their order. */
export function toMessage(event: RecordedEvent): EventMessage {
  return {
    key: event.streamId,
    value: JSON.stringify({
      id: event.id,
      type: event.type,
      streamId: event.streamId,
      revision: event.revision,
      position: event.position.toString(),
      data: event.data,
      metadata: event.metadata,
      recordedAt: event.recordedAt.toISOString(),
    }),
    headers: {
      type: event.type,
      position: event.position.toString(),
      revision: String(event.revision),
      'event-id': event.id,
    },
  };
}

/** Header `type` of the relay's watermark messages (they carry no event); the consumer's twin is in libs/projections. */
export const WATERMARK_TYPE = 'tally.watermark';

export interface WatermarkMessage {
  partition: number;
  key: null;
  value: string;
  headers: Record<string, string>;
}

/**
 * One per partition, sent after the broker acknowledged every event up to `position`: a
 * consumer that reaches it on every partition has received every event up to `position`.
 */
export function toWatermark(
  position: bigint,
  partition: number,
  partitions: number,
): WatermarkMessage {
  return {
    partition,
    key: null,
    value: JSON.stringify({ watermark: position.toString(), partitions }),
    headers: { type: WATERMARK_TYPE, position: position.toString() },
  };
}
