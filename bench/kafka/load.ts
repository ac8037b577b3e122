import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandPipeline } from '@tally/commands';
import type { EventStore } from '@tally/event-store';
import { ballotStreamId } from '@tally/domain';
import { castVote, renderCastVote } from '../../apps/api/src/polls/cast-vote.command';
import { openPoll, renderOpenPoll } from '../../apps/api/src/polls/open-poll.command';
import type { Timing } from '../lib/measure';
import { ExpectedCounts } from '../projections/counts';
import { OPTION_IDS, OPTION_TEXTS, commandContext } from '../projections/setup';
import type { Visibility } from './visibility';

export const POLLS = 4;
export const VOTERS = 10_000;
/** In-flight commands of the max-rate load. */
export const MAX_RATE_CLIENTS = 64;

/** `rate` commands/s offered open-loop, or `max`: MAX_RATE_CLIENTS closed loops. */
export type Load = { kind: 'fixed'; rate: number } | { kind: 'max' };

export interface LoadRun {
  expected: ExpectedCounts;
  /** Commands accepted (each appended one Voted event) inside the window. */
  acceptedInWindow: number;
  start: number;
  end: number;
}

export async function openPolls(pipeline: CommandPipeline): Promise<string[]> {
  const ids = Array.from({ length: POLLS }, (_, i) => `kafka-poll-${i + 1}`);
  for (const pollId of ids) {
    const input = { pollId, title: `Poll ${pollId}`, options: OPTION_TEXTS };
    const { reply } = await pipeline.execute(
      openPoll(input, commandContext()),
      renderOpenPoll(input),
    );
    if (reply.status !== 201) throw new Error(`opening ${pollId} answered ${reply.status}`);
  }
  return ids;
}

/**
 * Cast-vote commands through the real CommandPipeline, each for another option than the
 * voter last chose, so every accepted one appends. Every `sampleEvery`-th acknowledged
 * event is handed to `visibility` to time its way into the read model.
 */
export async function castVotes(
  pipeline: CommandPipeline,
  store: EventStore,
  polls: readonly string[],
  load: Load,
  timing: Timing,
  visibility: Visibility,
  sampleEvery: number,
  onProgress: (fraction: number) => void,
): Promise<LoadRun> {
  const expected = new ExpectedCounts();
  const held = new Map<string, string>();
  const began = performance.now();
  const start = began + timing.warmupMs;
  const end = start + timing.durationMs;
  let acceptedInWindow = 0;
  let accepted = 0;
  let failure: { error: unknown } | undefined;

  const issue = async (n: number): Promise<void> => {
    const pollId = polls[n % polls.length] ?? polls[0]!;
    const voterId = `voter-${randomInt(VOTERS)}`;
    const key = ballotStreamId(pollId, voterId);
    const choices = OPTION_IDS.filter((o) => o !== held.get(key));
    const optionId = choices[randomInt(choices.length)]!;
    held.set(key, optionId);
    const input = { pollId, voterId, optionId };
    const command = castVote(input, commandContext());
    const { reply } = await pipeline.execute(command, renderCastVote(input));
    const ackAt = performance.now();
    if (reply.status !== 200) throw new Error(`cast-vote answered ${reply.status}`);
    if (reply.body.changed !== true) return;
    const previous = reply.body.previousOptionId;
    expected.vote(pollId, optionId, typeof previous === 'string' ? previous : null);
    if (ackAt >= start && ackAt <= end) acceptedInWindow++;
    if (accepted++ % sampleEvery === 0)
      visibility.acknowledged(key, Number(reply.body.revision), ackAt);
  };
  const guarded = (n: number): Promise<void> =>
    issue(n).catch((error: unknown) => {
      failure ??= { error };
    });

  const ticker = setInterval(() => onProgress((performance.now() - began) / (end - began)), 100);
  try {
    let issued = 0;
    if (load.kind === 'fixed') {
      const inflight = new Set<Promise<void>>();
      for (let now = began; now < end && !failure; now = performance.now()) {
        const due = Math.floor(((now - began) / 1000) * load.rate);
        while (issued < due) {
          const done = guarded(issued++);
          inflight.add(done);
          void done.then(() => inflight.delete(done));
        }
        await sleep(1);
      }
      await Promise.all([...inflight]);
    } else {
      const client = async (): Promise<void> => {
        while (performance.now() < end && !failure) await guarded(issued++);
      };
      await Promise.all(Array.from({ length: MAX_RATE_CLIENTS }, client));
    }
  } finally {
    clearInterval(ticker);
  }
  if (failure) throw failure.error;
  return { expected, acceptedInWindow, start, end };
}
