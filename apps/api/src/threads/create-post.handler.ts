import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandPipeline, type DeliveredReply } from '@tally/commands';
import type { EventStore } from '@tally/event-store';
import { EVENT_STORE } from '@tally/infra';
import { CreatePostCommand } from './create-post.command';
import { createPost, loadThreadState } from './threads.commands';

@CommandHandler(CreatePostCommand)
export class CreatePostHandler implements ICommandHandler<CreatePostCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute({ input, context }: CreatePostCommand): Promise<DeliveredReply> {
    const loadThread = () => loadThreadState(this.store, input.threadId);
    return this.pipeline.execute(createPost(input, context, loadThread));
  }
}
