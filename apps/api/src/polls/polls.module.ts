import { Module } from '@nestjs/common';
import { PollsQueriesController } from './polls.queries.http.controller';
import { CastVoteHandler } from './cast-vote.command';
import { ClosePollHandler } from './close-poll.command';
import { OpenPollHandler } from './open-poll.command';
import { PollsController } from './polls.http.controller';
import { RetractVoteHandler } from './retract-vote.command';

/** Polls and their ballots: the commands, their handlers and their HTTP routes. */
@Module({
  controllers: [PollsController, PollsQueriesController],
  providers: [OpenPollHandler, ClosePollHandler, CastVoteHandler, RetractVoteHandler],
})
export class PollsModule {}
