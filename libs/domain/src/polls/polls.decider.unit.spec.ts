import { specification } from '../shared/specification.spec';
import type { PollClosed, PollOpened } from './polls.events';
import { pollDecider } from './polls.decider';

const openedAt = '2025-03-01T09:00:00.000Z';
const closedAt = '2025-03-01T18:00:00.000Z';
const options = [
  { optionId: 'yes', text: 'Yes' },
  { optionId: 'no', text: 'No' },
];
const opened: PollOpened = {
  type: 'PollOpened',
  data: { pollId: 'p-1', title: 'Ship it?', options, openedAt },
};
const closed: PollClosed = { type: 'PollClosed', data: { pollId: 'p-1', closedAt } };

const spec = specification(pollDecider);

describe('opening a poll', () => {
  it('when the poll is new → opens it with its options', () => {
    spec
      .given([])
      .when({ type: 'OpenPoll', data: { pollId: 'p-1', title: 'Ship it?', options, at: openedAt } })
      .then([opened]);
  });

  it('when the poll id is already taken → refuses with poll_exists', () => {
    spec
      .given([opened])
      .when({ type: 'OpenPoll', data: { pollId: 'p-1', title: 'Again?', options, at: closedAt } })
      .thenRejects({ code: 'poll_exists', pollId: 'p-1' });
  });

  it('when the poll was opened and closed → still refuses with poll_exists', () => {
    spec
      .given([opened, closed])
      .when({ type: 'OpenPoll', data: { pollId: 'p-1', title: 'Again?', options, at: closedAt } })
      .thenRejects('poll_exists');
  });
});

describe('closing a poll', () => {
  it('when the poll is open → closes it at the given time', () => {
    spec
      .given([opened])
      .when({ type: 'ClosePoll', data: { pollId: 'p-1', at: closedAt } })
      .then([closed]);
  });

  it('when the poll is already closed → records nothing (closing is idempotent)', () => {
    spec
      .given([opened, closed])
      .when({ type: 'ClosePoll', data: { pollId: 'p-1', at: '2025-03-02T00:00:00.000Z' } })
      .thenNothing();
  });

  it('when the poll was never opened → refuses with poll_not_found', () => {
    spec
      .given([])
      .when({ type: 'ClosePoll', data: { pollId: 'p-1', at: closedAt } })
      .thenRejects({ code: 'poll_not_found', pollId: 'p-1' });
  });
});
