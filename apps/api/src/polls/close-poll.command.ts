import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { ClosePollInput } from './polls.commands';

export class ClosePollCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: ClosePollInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
