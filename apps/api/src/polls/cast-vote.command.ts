import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { CastVoteInput } from './ballots.commands';

export class CastVoteCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: CastVoteInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
