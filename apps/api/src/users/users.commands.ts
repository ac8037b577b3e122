import type { CommandSpec } from '@tally/commands';
import {
  decideUsername,
  usernameDecider,
  usernameStreamId,
  type UsernameCommand,
  type UsernameError,
  type UsernameEvent,
  type UsernameState,
} from '@tally/domain';
import type { CommandContext } from '../shared/command-context';
import { domainRejection } from '../shared/domain-rejection';

export type { CommandContext };

type UsernameSpec = CommandSpec<UsernameState, UsernameEvent, UsernameError>;

export interface RegisterUserInput {
  userId: string;
  username: string;
}

/**
 * Every letter case of a name is one `username-{lowercased}` stream: the pipeline
 * serialises claims of it in this process, and its first append (`no_stream`) loses to a
 * claim from another process, whose retry then re-reads and answers `username_taken`.
 */
export function registerUser(input: RegisterUserInput, context: CommandContext): UsernameSpec {
  const command: UsernameCommand = {
    type: 'ClaimUsername',
    data: { ...input, at: context.metadata.time },
  };
  return {
    name: 'register-user',
    streamId: usernameStreamId(input.username),
    model: usernameDecider,
    decide: (state) => decideUsername(command, state),
    accepted: ({ position }) => ({
      status: 201,
      body: { userId: input.userId, username: input.username, position: position.toString() },
    }),
    rejected: domainRejection,
    metadata: context.metadata,
    idempotency: context.idempotency,
  };
}
