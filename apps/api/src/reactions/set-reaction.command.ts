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

export interface ReactionKey {
  postId: string;
  type: string;
  userId: string;
}

export interface SetReactionInput extends ReactionKey {
  active: boolean;
}

export class SetReactionCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: SetReactionInput,
    readonly context: CommandContext,
    /** From `If-Match`: the revision the client last saw; a stale one is refused with 412. */
    readonly expectedRevision?: number,
  ) {
    super();
  }
}

/**
 * The idempotent set: asking for the state already held appends nothing (`changed: false`).
 * With `expectedRevision` (If-Match) a stale view is `revision_mismatch`, held state or not.
 */
export function setReaction(
  input: SetReactionInput,
  context: CommandContext,
  expectedRevision?: number,
): BoundCommand<ReactionState, ReactionEvent, ReactionError, undefined> {
  return bindCommand({
    name: 'set-reaction',
    streamId: reactionStreamId(input.postId, input.type, input.userId),
    decider: reactionDecider,
    command: { type: 'SetReaction', data: { ...input, at: context.metadata.time } },
    expectedRevision,
    ...context,
  });
}

export const renderSetReaction =
  ({ postId, type, userId }: SetReactionInput) =>
  (outcome: CommandOutcome<ReactionState, ReactionError>): HttpReply =>
    renderOutcome(outcome, ({ after, appended, revision, position }) => ({
      status: 200,
      body: {
        postId,
        type,
        userId,
        active: isReactionActive(after),
        changed: appended > 0,
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(SetReactionCommand)
export class SetReactionHandler implements ICommandHandler<SetReactionCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context, expectedRevision }: SetReactionCommand): Promise<Delivered<HttpReply>> {
    const command = setReaction(input, context, expectedRevision);
    return this.pipeline.execute(command, renderSetReaction(input));
  }
}
