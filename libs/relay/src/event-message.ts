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
