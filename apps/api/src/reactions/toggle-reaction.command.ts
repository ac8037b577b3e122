import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  isReactionActive,
  reactionDecider,
  reactionStreamId,
  type ReactionError,
  type ReactionEvent,
  type ReactionState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';
import type { ReactionKey } from './set-reaction.command';

export class ToggleReactionCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: ReactionKey,
    readonly context: CommandContext,
    /** From `If-Match`: the revision the client last saw; a stale one is refused with 412. */
    readonly expectedRevision?: number,
  ) {
    super();
  }
}

/** Flips the reaction; with `expectedRevision` (If-Match) a stale view is `revision_mismatch`. */
export function toggleReaction(
  input: ReactionKey,
  context: CommandContext,
  expectedRevision?: number,
): BoundCommand<ReactionState, ReactionEvent, ReactionError, undefined> {
  return bindCommand({
    name: 'toggle-reaction',
    streamId: reactionStreamId(input.postId, input.type, input.userId),
    decider: reactionDecider,
    command: { type: 'ToggleReaction', data: { ...input, at: context.metadata.time } },
    expectedRevision,
    ...context,
  });
}

export const renderToggleReaction =
  ({ postId, type, userId }: ReactionKey) =>
  (outcome: CommandOutcome<ReactionState, ReactionError>): HttpReply =>
    renderOutcome(outcome, ({ after, revision, position }) => ({
      status: 200,
      body: {
        postId,
        type,
        userId,
        active: isReactionActive(after),
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(ToggleReactionCommand)
export class ToggleReactionHandler implements ICommandHandler<ToggleReactionCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({
    input,
    context,
    expectedRevision,
  }: ToggleReactionCommand): Promise<Delivered<HttpReply>> {
    const command = toggleReaction(input, context, expectedRevision);
    return this.pipeline.execute(command, renderToggleReaction(input));
  }
}
