import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { RestockItemInput } from './inventory.commands';

export class RestockItemCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: RestockItemInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
