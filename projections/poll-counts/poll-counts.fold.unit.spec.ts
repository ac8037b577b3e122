import type { BallotEvent, PollEvent } from '@tally/domain';
import type { RecordedEvent } from '@tally/event-store';
import { foldPollCounts, optionKey } from './poll-counts.fold';

const at = '2026-11-22T12:00:00.000Z';
let position = 0n;
const record = (event: PollEvent | BallotEvent, streamId: string): RecordedEvent => {
  position += 1n;
  return {
    ...event,
    id: `e${position}`,
    metadata: {},
    streamId,
    revision: 0,
    position,
    recordedAt: new Date(),
  };
};
const opened = (pollId: string, optionIds: string[]): RecordedEvent =>
  record(
    {
      type: 'PollOpened',
      data: {
        pollId,
        title: `Poll ${pollId}`,
        options: optionIds.map((optionId) => ({ optionId, text: optionId.toUpperCase() })),
        openedAt: at,
      },
    },
    `poll-${pollId}`,
  );
const closed = (pollId: string): RecordedEvent =>
  record({ type: 'PollClosed', data: { pollId, closedAt: at } }, `poll-${pollId}`);
const voted = (
  pollId: string,
  voterId: string,
  optionId: string,
  previousOptionId: string | null = null,
): RecordedEvent =>
  record(
    { type: 'Voted', data: { pollId, voterId, optionId, previousOptionId, votedAt: at } },
    `ballot-${pollId}|${voterId}`,
  );
const retracted = (pollId: string, voterId: string, optionId: string): RecordedEvent =>
  record(
    { type: 'VoteRetracted', data: { pollId, voterId, optionId, retractedAt: at } },
    `ballot-${pollId}|${voterId}`,
  );

describe('foldPollCounts', () => {
  it('a first vote adds one to its option and one to the poll total', () => {
    const delta = foldPollCounts([voted('p1', 'v1', 'a')]);
    expect(delta.options).toEqual(new Map([[optionKey('p1', 'a'), 1]]));
    expect(delta.totals).toEqual(new Map([['p1', 1]]));
  });

  it('a vote changed to another option moves one count and leaves the total', () => {
    const delta = foldPollCounts([voted('p1', 'v1', 'b', 'a')]);
    expect(delta.options).toEqual(
      new Map([
        [optionKey('p1', 'b'), 1],
        [optionKey('p1', 'a'), -1],
      ]),
    );
    expect(delta.totals).toEqual(new Map());
  });

  it('a retracted vote takes one from its option and one from the poll total', () => {
    const delta = foldPollCounts([retracted('p1', 'v1', 'a')]);
    expect(delta.options).toEqual(new Map([[optionKey('p1', 'a'), -1]]));
    expect(delta.totals).toEqual(new Map([['p1', -1]]));
  });

  it('a thousand votes for one option become one number', () => {
    const votes = Array.from({ length: 1000 }, (_, i) => voted('p1', `v${i}`, 'a'));
    const delta = foldPollCounts(votes);
    expect(delta.options).toEqual(new Map([[optionKey('p1', 'a'), 1000]]));
    expect(delta.totals).toEqual(new Map([['p1', 1000]]));
  });

  it('a vote, its change and its retraction in one batch net to nothing', () => {
    const delta = foldPollCounts([
      voted('p1', 'v1', 'a'),
      voted('p1', 'v1', 'b', 'a'),
      retracted('p1', 'v1', 'b'),
    ]);
    expect(delta.options).toEqual(
      new Map([
        [optionKey('p1', 'a'), 0],
        [optionKey('p1', 'b'), 0],
      ]),
    );
    expect(delta.totals).toEqual(new Map([['p1', 0]]));
  });

  it('an opened poll is kept with its title and options, a closed one by its id', () => {
    const delta = foldPollCounts([opened('p1', ['a', 'b']), opened('p2', ['x']), closed('p2')]);
    expect(delta.opened).toEqual(
      new Map([
        [
          'p1',
          {
            title: 'Poll p1',
            options: [
              { optionId: 'a', text: 'A' },
              { optionId: 'b', text: 'B' },
            ],
          },
        ],
        ['p2', { title: 'Poll p2', options: [{ optionId: 'x', text: 'X' }] }],
      ]),
    );
    expect(delta.closed).toEqual(new Set(['p2']));
    expect(delta.options).toEqual(new Map());
    expect(delta.totals).toEqual(new Map());
  });

  it('keeps polls and options apart even when their concatenations collide', () => {
    const delta = foldPollCounts([voted('a', 'v1', 'bc'), voted('ab', 'v1', 'c')]);
    expect(delta.options.size).toBe(2);
    expect(delta.totals).toEqual(
      new Map([
        ['a', 1],
        ['ab', 1],
      ]),
    );
  });

  it('passes over events of other types', () => {
    const other = { ...voted('p1', 'v1', 'a'), type: 'ReactionToggled' };
    const delta = foldPollCounts([other]);
    expect(delta).toEqual({
      opened: new Map(),
      closed: new Set(),
      options: new Map(),
      totals: new Map(),
    });
  });
});
