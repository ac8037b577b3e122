import { foldState } from '../shared';
import { specification } from '../shared/specification.spec';
import type { PollClosed, PollOpened, VoteRetracted, Voted } from './polls.events';
import { ballotDecider, currentOption } from './polls.decider';

const at = '2025-03-01T10:00:00.000Z';
const later = '2025-03-01T11:00:00.000Z';
const opened: PollOpened = {
  type: 'PollOpened',
  data: {
    pollId: 'p-1',
    title: 'Lunch?',
    options: [
      { optionId: 'pizza', text: 'Pizza' },
      { optionId: 'sushi', text: 'Sushi' },
    ],
    openedAt: at,
  },
};
const closed: PollClosed = { type: 'PollClosed', data: { pollId: 'p-1', closedAt: later } };
const votedPizza: Voted = {
  type: 'Voted',
  data: { pollId: 'p-1', voterId: 'v-1', optionId: 'pizza', previousOptionId: null, votedAt: at },
};
const retractedPizza: VoteRetracted = {
  type: 'VoteRetracted',
  data: { pollId: 'p-1', voterId: 'v-1', optionId: 'pizza', retractedAt: later },
};

const cast = (optionId: string, when = later) =>
  ({ type: 'CastVote', data: { pollId: 'p-1', voterId: 'v-1', optionId, at: when } }) as const;
const retract = {
  type: 'RetractVote',
  data: { pollId: 'p-1', voterId: 'v-1', at: later },
} as const;

const spec = specification(ballotDecider);

describe('casting a vote', () => {
  it('when the voter has not voted → records the vote with no previous option', () => {
    spec.given([opened]).when(cast('pizza', at)).then([votedPizza]);
  });

  it('when the voter picks the option already held → records nothing', () => {
    spec.given([opened, votedPizza]).when(cast('pizza')).thenNothing();
  });

  it('when the voter changes their mind → moves the vote, naming the previous option', () => {
    spec
      .given([opened, votedPizza])
      .when(cast('sushi'))
      .then([
        {
          type: 'Voted',
          data: {
            pollId: 'p-1',
            voterId: 'v-1',
            optionId: 'sushi',
            previousOptionId: 'pizza',
            votedAt: later,
          },
        },
      ]);
  });

  it('when the voter retracted earlier → counts the new vote afresh', () => {
    spec
      .given([opened, votedPizza, retractedPizza])
      .when(cast('pizza'))
      .then([{ ...votedPizza, data: { ...votedPizza.data, votedAt: later } }]);
  });

  it('when the poll does not exist → refuses with poll_not_found', () => {
    spec.given([]).when(cast('pizza')).thenRejects({ code: 'poll_not_found', pollId: 'p-1' });
  });

  it('when the option is not on the poll → refuses with option_not_found', () => {
    spec
      .given([opened])
      .when(cast('tacos'))
      .thenRejects({ code: 'option_not_found', pollId: 'p-1', optionId: 'tacos' });
  });

  it('when the poll is closed → refuses with poll_closed, even for a first vote', () => {
    spec.given([opened, closed]).when(cast('pizza')).thenRejects('poll_closed');
  });

  it('when the poll closed after the vote → refuses a change with poll_closed', () => {
    spec.given([opened, votedPizza, closed]).when(cast('sushi')).thenRejects('poll_closed');
  });
});

describe('retracting a vote', () => {
  it('when the voter holds a vote → retracts that option', () => {
    spec.given([opened, votedPizza]).when(retract).then([retractedPizza]);
  });

  it('when the voter never voted → records nothing', () => {
    spec.given([opened]).when(retract).thenNothing();
  });

  it('when the vote was already retracted → records nothing', () => {
    spec.given([opened, votedPizza, retractedPizza]).when(retract).thenNothing();
  });

  it('when the poll does not exist → refuses with poll_not_found', () => {
    spec.given([]).when(retract).thenRejects('poll_not_found');
  });

  it('when the poll is closed → refuses with poll_closed', () => {
    spec.given([opened, votedPizza, closed]).when(retract).thenRejects('poll_closed');
  });
});

describe('the ballot a handler loads', () => {
  it('reports the option the voter currently holds', () => {
    const state = foldState(ballotDecider, [opened, votedPizza]);
    expect(currentOption(state.ballot)).toBe('pizza');
    expect(
      currentOption(foldState(ballotDecider, [opened, votedPizza, retractedPizza]).ballot),
    ).toBe(null);
  });
});
