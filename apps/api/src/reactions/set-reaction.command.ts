import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { SetReactionInput } from './reactions.commands';

export class SetReactionCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: SetReactionInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
