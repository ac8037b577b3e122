import type { CommandSpec } from '@tally/commands';
import {
  decideReaction,
  isReactionActive,
  reactionDecider,
  reactionStreamId,
  type ReactionCommand,
  type ReactionError,
  type ReactionEvent,
  type ReactionState,
} from '@tally/domain';
import type { CommandContext } from '../shared/command-context';

type ReactionSpec = CommandSpec<ReactionState, ReactionEvent, ReactionError>;

export interface ReactionKey {
  postId: string;
  type: string;
  userId: string;
}

export interface SetReactionInput extends ReactionKey {
  active: boolean;
}

function reactionSpec(
  name: string,
  command: ReactionCommand,
  context: CommandContext,
  accepted: ReactionSpec['accepted'],
  expectedRevision?: number,
): ReactionSpec {
  const { postId, type, userId } = command.data;
  return {
    name,
    streamId: reactionStreamId(postId, type, userId),
    model: reactionDecider,
    decide: (state) => decideReaction(command, state),
    accepted,
    // Reacting is never refused by the domain (ReactionError is `never`).
    rejected: (error: never) => error,
    metadata: context.metadata,
    idempotency: context.idempotency,
    expectedRevision,
  };
}

/** The idempotent set: asking for the state already held appends nothing (`changed: false`). */
export function setReaction(input: SetReactionInput, context: CommandContext): ReactionSpec {
  const command: ReactionCommand = {
    type: 'SetReaction',
    data: { ...input, at: context.metadata.time },
  };
  return reactionSpec(
    'set-reaction',
    command,
    context,
    ({ after, appended, revision, position }) => ({
      status: 200,
      body: {
        postId: input.postId,
        type: input.type,
        userId: input.userId,
        active: isReactionActive(after),
        changed: appended > 0,
        revision,
        position: position.toString(),
      },
    }),
  );
}

/** Flips the reaction; with `expectedRevision` (If-Match) a stale view is refused with 412. */
export function toggleReaction(
  input: ReactionKey,
  context: CommandContext,
  expectedRevision?: number,
): ReactionSpec {
  const command: ReactionCommand = {
    type: 'ToggleReaction',
    data: { ...input, at: context.metadata.time },
  };
  return reactionSpec(
    'toggle-reaction',
    command,
    context,
    ({ after, revision, position }) => ({
      status: 200,
      body: {
        postId: input.postId,
        type: input.type,
        userId: input.userId,
        active: isReactionActive(after),
        revision,
        position: position.toString(),
      },
    }),
    expectedRevision,
  );
}
