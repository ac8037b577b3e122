import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { OpenPollInput } from './polls.commands';

export class OpenPollCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: OpenPollInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
