import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import type { EventStore } from '@tally/event-store';
import { EVENT_STORE } from '@tally/infra';
import { retractVote } from './ballots.commands';
import { readPoll } from './poll-reader';
import { RetractVoteCommand } from './retract-vote.command';

@CommandHandler(RetractVoteCommand)
export class RetractVoteHandler implements ICommandHandler<RetractVoteCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute({ input, context }: RetractVoteCommand): Promise<DeliveredReply> {
    const loadPoll = () => readPoll(this.store, input.pollId);
    return this.pipeline.execute(retractVote(input, context, loadPoll));
  }
}
