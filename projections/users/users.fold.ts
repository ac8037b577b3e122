import type { UsernameEvent } from '@tally/domain';
import type { FoldEvent } from '@tally/event-store';

export interface UserRow {
  normalized: string;
  username: string;
  userId: string;
}

/**
 * One row per normalized name in the batch. A name's stream only ever takes one claim
 * (appended with `no_stream`); were there two, the first would win, as on the write side.
 */
export function foldUsers(events: readonly FoldEvent[]): UserRow[] {
  const users = new Map<string, UserRow>();
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as UsernameEvent;
    switch (event.type) {
      case 'UsernameClaimed': {
        const { normalized, username, userId } = event.data;
        if (!users.has(normalized)) users.set(normalized, { normalized, username, userId });
        break;
      }
      default:
        break;
    }
  }
  return [...users.values()];
}
