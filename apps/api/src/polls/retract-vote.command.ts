import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { RetractVoteInput } from './ballots.commands';

export class RetractVoteCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: RetractVoteInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
