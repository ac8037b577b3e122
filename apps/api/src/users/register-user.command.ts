import { Command } from '@nestjs/cqrs';
import type { DeliveredReply } from '@tally/commands';
import type { CommandContext } from '../shared/command-context';
import type { RegisterUserInput } from './users.commands';

export class RegisterUserCommand extends Command<DeliveredReply> {
  constructor(
    readonly input: RegisterUserInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
