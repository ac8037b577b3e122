import type { ReactionEvent } from '@tally/domain';
import type { FoldEvent } from '@tally/event-store';

export interface ReactionCount {
  postId: string;
  type: string;
  /** Net change of active reactions in the batch; never 0 (those are left out). */
  n: number;
}

const key = (postId: string, type: string): string => `${postId}\u0000${type}`;

/**
 * Aggregates a batch in memory: a ReactionToggled always flips its user's state, so it is
 * exactly +1 when it turns a reaction on and -1 when it turns it off.
 */
export function foldReactionCounts(events: readonly FoldEvent[]): ReactionCount[] {
  const counts = new Map<string, ReactionCount>();
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as ReactionEvent;
    switch (event.type) {
      case 'ReactionToggled': {
        const { postId, type, active } = event.data;
        const k = key(postId, type);
        const count = counts.get(k) ?? { postId, type, n: 0 };
        count.n += active ? 1 : -1;
        counts.set(k, count);
        break;
      }
      default:
        break;
    }
  }
  return [...counts.values()].filter((c) => c.n !== 0);
}
