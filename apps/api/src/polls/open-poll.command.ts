import { CommandHandler, Command, type ICommandHandler } from '@nestjs/cqrs';
import {
  CommandPipeline,
  bindCommand,
  type BoundCommand,
  type CommandOutcome,
  type Delivered,
} from '@tally/commands';
import {
  pollDecider,
  pollStreamId,
  type PollError,
  type PollEvent,
  type PollOption,
  type PollState,
} from '@tally/domain';
import type { HttpReply } from '../http/error-codes';
import { renderOutcome } from '../http/render-outcome';
import type { CommandContext } from '../shared/command-context';

export interface OpenPollInput {
  pollId: string;
  title: string;
  options: readonly string[];
}

/** Option ids are `o1…oN` in the order given: short, stable, and unique within their poll. */
export const optionsOf = (texts: readonly string[]): PollOption[] =>
  texts.map((text, index) => ({ optionId: `o${index + 1}`, text }));

export class OpenPollCommand extends Command<Delivered<HttpReply>> {
  constructor(
    readonly input: OpenPollInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export function openPoll(
  input: OpenPollInput,
  context: CommandContext,
): BoundCommand<PollState, PollEvent, PollError, undefined> {
  const options = optionsOf(input.options);
  return bindCommand({
    name: 'open-poll',
    streamId: pollStreamId(input.pollId),
    decider: pollDecider,
    command: {
      type: 'OpenPoll',
      data: { pollId: input.pollId, title: input.title, options, at: context.metadata.time },
    },
    ...context,
  });
}

export const renderOpenPoll =
  (input: OpenPollInput) =>
  (outcome: CommandOutcome<PollState, PollError>): HttpReply =>
    renderOutcome(outcome, ({ revision, position }) => ({
      status: 201,
      body: {
        pollId: input.pollId,
        title: input.title,
        options: optionsOf(input.options),
        revision,
        position: position.toString(),
      },
    }));

@CommandHandler(OpenPollCommand)
export class OpenPollHandler implements ICommandHandler<OpenPollCommand> {
  constructor(private readonly pipeline: CommandPipeline) {}

  execute({ input, context }: OpenPollCommand): Promise<Delivered<HttpReply>> {
    return this.pipeline.execute(openPoll(input, context), renderOpenPoll(input));
  }
}
