import type { Idempotency } from '@tally/commands';
import type { EventMetadata } from '@tally/event-store';

/** What every command carries besides its own fields: who caused it, when, and its key. */
export interface CommandContext {
  metadata: EventMetadata & { time: string };
  idempotency?: Idempotency;
}
