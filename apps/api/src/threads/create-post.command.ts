import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { CreatePostInput } from './threads.commands';

export class CreatePostCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: CreatePostInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
