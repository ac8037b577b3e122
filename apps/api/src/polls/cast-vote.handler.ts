import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import type { EventStore } from '@tally/event-store';
import { EVENT_STORE } from '@tally/infra';
import { castVote } from './ballots.commands';
import { CastVoteCommand } from './cast-vote.command';
import { readPoll } from './poll-reader';

@CommandHandler(CastVoteCommand)
export class CastVoteHandler implements ICommandHandler<CastVoteCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute({ input, context }: CastVoteCommand): Promise<DeliveredReply> {
    const loadPoll = () => readPoll(this.store, input.pollId);
    return this.pipeline.execute(castVote(input, context, loadPoll));
  }
}
