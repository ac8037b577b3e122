import { Inject } from '@nestjs/common';
import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  ballotStreamId,
  currentOption,
  type BallotError,
  type BallotEvent,
  type BallotState,
  type PollState,
} from '@tally/domain';
import type { EventStore } from '@tally/event-store';
import { EVENT_STORE } from '@tally/infra';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';
import { ballotStream } from './ballot-stream';
import { readPoll } from './poll-reader';

export interface CastVoteInput {
  pollId: string;
  voterId: string;
  optionId: string;
}

export class CastVoteCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: CastVoteInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** The voter's ballot stream, decided against the poll `loadPoll` reads on every attempt. */
export function castVote(
  input: CastVoteInput,
  context: CommandContext,
  loadPoll: () => Promise<PollState>,
): BoundCommand<BallotState, BallotEvent, BallotError, PollState> {
  return bindCommand({
    name: 'cast-vote',
    streamId: ballotStreamId(input.pollId, input.voterId),
    decider: ballotStream,
    command: { type: 'CastVote', data: { ...input, at: context.metadata.time } },
    loadContext: loadPoll,
    ...context,
  });
}

/** Voting the option already held appends nothing: `changed: false`, previousOptionId = optionId. */
export const renderCastVote =
  (input: CastVoteInput) =>
  (outcome: CommandOutcome<BallotState, BallotError>): HttpReply =>
    renderOutcome(outcome, ({ before, appended, revision, position }) => ({
      status: 200,
      body: {
        ...input,
        previousOptionId: currentOption(before),
        changed: appended > 0,
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(CastVoteCommand)
export class CastVoteHandler implements ICommandHandler<CastVoteCommand> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute({ input, context }: CastVoteCommand): Promise<Delivered<HttpReply>> {
    const loadPoll = () => readPoll(this.store, input.pollId);
    return this.pipeline.execute(castVote(input, context, loadPoll), renderCastVote(input));
  }
}
