import {
  foldState,
  pollDecider,
  pollStreamId,
  type PollEvent,
  type PollState,
} from '@tally/domain';
import type { EventStore } from '@tally/event-store';

/**
 * A ballot is decided against its poll, which lives in another stream: read it on every
 * attempt. A poll stream holds at most two events (opened, closed), so one read suffices.
 */
export async function readPoll(
  store: Pick<EventStore, 'readStream'>,
  pollId: string,
): Promise<PollState> {
  const recorded = await store.readStream(pollStreamId(pollId));
  // The store gives back exactly the shapes the poll decider appended.
  const events = recorded.map((event) => ({ type: event.type, data: event.data }) as PollEvent);
  return foldState(pollDecider, events);
}
