import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import { postStreamId, type PostError, type PostEvent, type ThreadState } from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';
import { postStream, threadContext } from './post-stream';

export interface CreatePostInput {
  postId: string;
  threadId: string;
  authorId: string;
  body: string;
}

export class CreatePostCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: CreatePostInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export function createPost(
  input: CreatePostInput,
  context: CommandContext,
): BoundCommand<boolean, PostEvent, PostError, ThreadState> {
  return bindCommand({
    name: 'create-post',
    streamId: postStreamId(input.postId),
    decider: postStream,
    command: { type: 'CreatePost', data: { ...input, at: context.metadata.time } },
    context: threadContext(input.threadId),
    ...context,
  });
}

export const renderCreatePost =
  (input: CreatePostInput) =>
  (outcome: CommandOutcome<boolean, PostError>): HttpReply =>
    renderOutcome(outcome, ({ position }) => ({
      status: 201,
      body: { postId: input.postId, threadId: input.threadId, position: position.toString() },
    }));

@CommandHandler(CreatePostCommand)
export class CreatePostHandler implements ICommandHandler<CreatePostCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: CreatePostCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(createPost(input, context), renderCreatePost(input));
  }
}
