import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { PurchaseItemInput } from './inventory.commands';

export class PurchaseItemCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: PurchaseItemInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
