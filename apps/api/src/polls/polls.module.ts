import {
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { PollsQueriesController } from './polls.queries.http.controller';
import { CastVoteHandler } from './cast-vote.command';
import { ClosePollHandler } from './close-poll.command';
import { OpenPollHandler } from './open-poll.command';
import { LivePollHub } from './live-poll-hub';
import { livePollHubProvider } from './live-poll-hub.provider';
import { PollsController } from './polls.http.controller';
import { RetractVoteHandler } from './retract-vote.command';

/** Polls and their ballots: the commands, their handlers and their HTTP routes. */
@Module({
  controllers: [PollsController, PollsQueriesController],
  providers: [
    OpenPollHandler,
    ClosePollHandler,
    CastVoteHandler,
    RetractVoteHandler,
    livePollHubProvider,
  ],
})
export class PollsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly hub: LivePollHub) {}

  onApplicationBootstrap(): void {
    this.hub.start();
  }

  // Open streams would hold the server's close: they end first.
  beforeApplicationShutdown(): void {
    this.hub.stop();
  }
}
