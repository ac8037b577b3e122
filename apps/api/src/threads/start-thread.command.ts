import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { StartThreadInput } from './threads.commands';

export class StartThreadCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: StartThreadInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
