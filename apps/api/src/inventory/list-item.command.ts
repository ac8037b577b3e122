import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { ListItemInput } from './inventory.commands';

export class ListItemCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: ListItemInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
