import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandPipeline, PostgresIdempotencyStore } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import { Projector } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import type { HttpReply } from '../../apps/api/src/http/error-codes';
import { castVote, renderCastVote } from '../../apps/api/src/polls/cast-vote.command';
import { openPoll, renderOpenPoll } from '../../apps/api/src/polls/open-poll.command';
import { warmPool } from '../hot-sku/pool';
import type { Timing } from '../lib/measure';
import { percentile } from '../lib/measure';
import { ExpectedCounts, countProblems } from './counts';
import { LagTracker } from './lag-tracker';
import { OPTION_IDS, OPTION_TEXTS, commandContext } from './setup';

export const POLLS = 4;
export const VOTERS = 10_000;
/** Tally's default TALLY_PG_POOL_SIZE, shared by the pipeline and the in-process projector. */
export const LAG_POOL_SIZE = 20;
const DRAIN_TIMEOUT_MS = 60_000;

export interface LagRun {
  /** Commands issued inside the window, per second. */
  offered: number;
  /** Commands accepted (acknowledged 200) inside the window, per second. */
  achieved: number;
  cmdP50Ms: number | null;
  cmdP99Ms: number | null;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
  lagSamples: number;
  /** Every accepted command, warm-up included. */
  accepted: number;
  problems: string[];
}

async function openPolls(pipeline: CommandPipeline): Promise<string[]> {
  const ids = Array.from({ length: POLLS }, (_, i) => `lag-poll-${i + 1}`);
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

const field = (reply: HttpReply, name: string): unknown => reply.body[name];

/**
 * Offers cast-vote commands at `rate` per second (open loop) to the real CommandPipeline,
 * with a Projector for every projection in the same process and on the same pool. Each
 * vote picks another option than the voter's last, so every accepted command appends.
 */
export async function runLag(
  url: string,
  rate: number,
  timing: Timing,
  onProgress: (fraction: number) => void,
  log: (line: string) => void,
): Promise<LagRun> {
  const pool = createPool(url, LAG_POOL_SIZE);
  const store = new PostgresEventStore({ pool, url });
  const pipeline = new CommandPipeline({ store, idempotency: new PostgresIdempotencyStore(pool) });
  const tracker = new LagTracker();
  let failure: { error: unknown } | undefined;
  const projector = new Projector({
    pool,
    store,
    projections: allProjections,
    onCommitted: (name, position) => {
      if (name === 'poll-counts') tracker.committedTo(position, performance.now());
    },
    onError: (name, error) => {
      failure ??= { error: new Error(`projection ${name} failed`, { cause: error }) };
    },
  });
  try {
    await warmPool(pool, LAG_POOL_SIZE, log);
    const polls = await openPolls(pipeline);
    await projector.start();

    const expected = new ExpectedCounts();
    const held = new Map<string, string>();
    const latencies: number[] = [];
    const inflight = new Set<Promise<void>>();
    let accepted = 0;
    let acceptedInWindow = 0;
    let issuedInWindow = 0;
    const began = performance.now();
    const start = began + timing.warmupMs;
    const end = start + timing.durationMs;
    const inWindow = (t: number): boolean => t >= start && t <= end;

    const issue = (n: number): void => {
      const pollId = polls[n % polls.length] ?? 'lag-poll-1';
      const voterId = `voter-${randomInt(VOTERS)}`;
      const ballot = `${pollId}|${voterId}`;
      const choices = OPTION_IDS.filter((o) => o !== held.get(ballot));
      const optionId = choices[randomInt(choices.length)] ?? 'o1';
      held.set(ballot, optionId);
      const sentAt = performance.now();
      if (inWindow(sentAt)) issuedInWindow++;
      const input = { pollId, voterId, optionId };
      const command = castVote(input, commandContext());
      const done = pipeline.execute(command, renderCastVote(input)).then(
        ({ reply }) => {
          const ackAt = performance.now();
          if (reply.status !== 200) {
            failure ??= { error: new Error(`cast-vote answered ${reply.status}`) };
            return;
          }
          const previous = field(reply, 'previousOptionId');
          if (field(reply, 'changed') === true)
            expected.vote(pollId, optionId, typeof previous === 'string' ? previous : null);
          accepted++;
          const measured = inWindow(ackAt);
          if (measured) {
            acceptedInWindow++;
            latencies.push(ackAt - sentAt);
          }
          tracker.acknowledged(BigInt(String(field(reply, 'position'))), ackAt, measured);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
      inflight.add(done);
      void done.then(() => inflight.delete(done));
    };

    const ticker = setInterval(() => onProgress((performance.now() - began) / (end - began)), 100);
    try {
      let issued = 0;
      for (let now = began; now < end && !failure; now = performance.now()) {
        const due = Math.floor(((now - began) / 1000) * rate);
        while (issued < due) issue(issued++);
        await sleep(1);
      }
      await Promise.all([...inflight]);
      const drained = await tracker.drained(DRAIN_TIMEOUT_MS);
      if (failure) throw failure.error;
      const problems = await countProblems(pool, expected);
      if (!drained)
        problems.push(`poll-counts did not reach every reply within ${DRAIN_TIMEOUT_MS} ms`);
      const cmd = Float64Array.from(latencies).sort();
      const lag = Float64Array.from(tracker.lags).sort();
      const seconds = timing.durationMs / 1000;
      return {
        offered: issuedInWindow / seconds,
        achieved: acceptedInWindow / seconds,
        cmdP50Ms: percentile(cmd, 50),
        cmdP99Ms: percentile(cmd, 99),
        lagP50Ms: percentile(lag, 50),
        lagP99Ms: percentile(lag, 99),
        lagMaxMs: lag.length > 0 ? (lag[lag.length - 1] ?? null) : null,
        lagSamples: lag.length,
        accepted,
        problems,
      };
    } finally {
      clearInterval(ticker);
    }
  } finally {
    await projector.stop();
    await store.close();
    await pool.end();
  }
}
