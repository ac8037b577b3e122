import type { PollEvent, BallotEvent } from '@tally/domain';
import type { FoldEvent } from '@tally/event-store';

export interface PollCountsDelta {
  opened: Map<string, { title: string; options: { optionId: string; text: string }[] }>;
  closed: Set<string>;
  /** `${pollId}\u0000${optionId}` → net change of votes. */
  options: Map<string, number>;
  totals: Map<string, number>;
}

export const optionKey = (pollId: string, optionId: string): string => `${pollId}\u0000${optionId}`;

const add = (map: Map<string, number>, key: string, n: number): void => {
  map.set(key, (map.get(key) ?? 0) + n);
};

/** Aggregates a batch in memory: a thousand votes for one option become one number. */
export function foldPollCounts(events: readonly FoldEvent[]): PollCountsDelta {
  const delta: PollCountsDelta = {
    opened: new Map(),
    closed: new Set(),
    options: new Map(),
    totals: new Map(),
  };
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as PollEvent | BallotEvent;
    switch (event.type) {
      case 'PollOpened':
        delta.opened.set(event.data.pollId, {
          title: event.data.title,
          options: event.data.options,
        });
        break;
      case 'PollClosed':
        delta.closed.add(event.data.pollId);
        break;
      case 'Voted': {
        const { pollId, optionId, previousOptionId } = event.data;
        add(delta.options, optionKey(pollId, optionId), 1);
        if (previousOptionId === null) add(delta.totals, pollId, 1);
        else add(delta.options, optionKey(pollId, previousOptionId), -1);
        break;
      }
      case 'VoteRetracted':
        add(delta.options, optionKey(event.data.pollId, event.data.optionId), -1);
        add(delta.totals, event.data.pollId, -1);
        break;
      default:
        break;
    }
  }
  return delta;
}
