import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  usernameDecider,
  usernameStreamId,
  type UsernameError,
  type UsernameEvent,
  type UsernameState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';

export interface RegisterUserInput {
  userId: string;
  username: string;
}

export class RegisterUserCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: RegisterUserInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Every letter case of a name is one `username-{lowercased}` stream: the pipeline
 * serialises claims of it in this process, and its first append (`no_stream`) loses to a
 * claim from another process, whose retry then re-reads and answers `username_taken`.
 */
export function registerUser(
  input: RegisterUserInput,
  context: CommandContext,
): BoundCommand<UsernameState, UsernameEvent, UsernameError, undefined> {
  return bindCommand({
    name: 'register-user',
    streamId: usernameStreamId(input.username),
    decider: usernameDecider,
    command: { type: 'ClaimUsername', data: { ...input, at: context.metadata.time } },
    ...context,
  });
}

export const renderRegisterUser =
  (input: RegisterUserInput) =>
  (outcome: CommandOutcome<UsernameState, UsernameError>): HttpReply =>
    renderOutcome(outcome, ({ position }) => ({
      status: 201,
      body: { userId: input.userId, username: input.username, position: position.toString() },
    }));

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: RegisterUserCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(registerUser(input, context), renderRegisterUser(input));
  }
}
