import type { CommandSpec } from '@tally/commands';
import {
  decidePoll,
  pollDecider,
  pollStreamId,
  type PollCommand,
  type PollError,
  type PollEvent,
  type PollOption,
  type PollState,
} from '@tally/domain';
import type { CommandContext } from '../shared/command-context';
import { domainRejection } from '../shared/domain-rejection';

type PollSpec = CommandSpec<PollState, PollEvent, PollError>;

export interface OpenPollInput {
  pollId: string;
  title: string;
  options: readonly string[];
}

export interface ClosePollInput {
  pollId: string;
}

/** Option ids are `o1…oN` in the order given: short, stable, and unique within their poll. */
export const optionsOf = (texts: readonly string[]): PollOption[] =>
  texts.map((text, index) => ({ optionId: `o${index + 1}`, text }));

function pollSpec(
  name: string,
  command: PollCommand,
  context: CommandContext,
  accepted: PollSpec['accepted'],
): PollSpec {
  return {
    name,
    streamId: pollStreamId(command.data.pollId),
    model: pollDecider,
    decide: (state) => decidePoll(command, state),
    accepted,
    rejected: domainRejection,
    metadata: context.metadata,
    idempotency: context.idempotency,
  };
}

export function openPoll(input: OpenPollInput, context: CommandContext): PollSpec {
  const options = optionsOf(input.options);
  const command: PollCommand = {
    type: 'OpenPoll',
    data: { pollId: input.pollId, title: input.title, options, at: context.metadata.time },
  };
  return pollSpec('open-poll', command, context, ({ revision, position }) => ({
    status: 201,
    body: {
      pollId: input.pollId,
      title: input.title,
      options,
      revision,
      position: position.toString(),
    },
  }));
}

/** Closing a closed poll is accepted and appends nothing. */
export function closePoll(input: ClosePollInput, context: CommandContext): PollSpec {
  const command: PollCommand = {
    type: 'ClosePoll',
    data: { pollId: input.pollId, at: context.metadata.time },
  };
  return pollSpec('close-poll', command, context, ({ revision, position }) => ({
    status: 200,
    body: { pollId: input.pollId, closed: true, revision, position: position.toString() },
  }));
}
