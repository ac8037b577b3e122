import type { NewEvent } from '../../libs/event-store/src';

export const TEST_TIME = '2026-11-22T12:00:00.000Z';

/** A two-option poll (`a`, `b`) as the domain opens it. */
export function pollOpened(pollId: string, title: string): NewEvent {
  const options = [
    { optionId: 'a', text: 'A' },
    { optionId: 'b', text: 'B' },
  ];
  return { type: 'PollOpened', data: { pollId, title, options, openedAt: TEST_TIME } };
}
