import type { PostEvent, ThreadEvent } from '@tally/domain';
import type { FoldEvent } from '@tally/event-store';

export interface ThreadDelta {
  threadId: string;
  /** Set when the batch holds the thread's ThreadStarted. */
  title: string | null;
  /** Posts created in the batch. */
  posts: number;
  /** Latest of startedAt and the posts' createdAt in the batch, ISO-8601; null if none parses. */
  lastActivityAt: string | null;
}

/** Keeps the later instant; an unparseable timestamp never wins (nor breaks the batch). */
function later(current: string | null, candidate: string): string | null {
  const ms = Date.parse(candidate);
  if (Number.isNaN(ms)) return current;
  if (current !== null && Date.parse(current) >= ms) return current;
  return new Date(ms).toISOString();
}

/** Aggregates a batch in memory: one row per thread, however many posts it got. */
export function foldThreadStats(events: readonly FoldEvent[]): ThreadDelta[] {
  const threads = new Map<string, ThreadDelta>();
  const delta = (threadId: string): ThreadDelta => {
    let d = threads.get(threadId);
    if (!d) {
      d = { threadId, title: null, posts: 0, lastActivityAt: null };
      threads.set(threadId, d);
    }
    return d;
  };
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as ThreadEvent | PostEvent;
    switch (event.type) {
      case 'ThreadStarted': {
        const d = delta(event.data.threadId);
        d.title = event.data.title;
        d.lastActivityAt = later(d.lastActivityAt, event.data.startedAt);
        break;
      }
      case 'PostCreated': {
        const d = delta(event.data.threadId);
        d.posts += 1;
        d.lastActivityAt = later(d.lastActivityAt, event.data.createdAt);
        break;
      }
      default:
        break;
    }
  }
  return [...threads.values()];
}
