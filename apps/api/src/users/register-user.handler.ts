import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import { RegisterUserCommand } from './register-user.command';
import { registerUser } from './users.commands';

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: RegisterUserCommand): Promise<DeliveredReply> {
    return this.pipeline.execute(registerUser(input, context));
  }
}
