import { CastVoteHandler } from './cast-vote.handler';
import { ClosePollHandler } from './close-poll.handler';
import { OpenPollHandler } from './open-poll.handler';
import { RetractVoteHandler } from './retract-vote.handler';

export const pollsCommandHandlers = [
  OpenPollHandler,
  ClosePollHandler,
  CastVoteHandler,
  RetractVoteHandler,
];
