import { performance } from 'node:perf_hooks';
import type { BallotEvent, BallotState, PollState } from '@tally/domain';
import {
  ballotStreamId,
  decideBallot,
  decidePoll,
  evolveBallot,
  evolvePoll,
  initialBallotState,
  initialPollState,
  pollStreamId,
} from '@tally/domain';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import { Projector } from '@tally/projections';
import { pollCountsProjection } from '@tally/read-models/poll-counts';
import { optionsOf } from '../../apps/api/src/polls/open-poll.command';
import { percentile } from '../lib/measure';
import { ExpectedCounts, countProblems } from './counts';
import { OPTION_IDS, OPTION_TEXTS, commandContext, deferred, within } from './setup';

const POLL_ID = 'fold-poll';
/** Each voter changes their mind this often: one append of this many Voted events per ballot. */
export const VOTES_PER_BALLOT = 4;
const APPENDERS = 16;
const POOL_SIZE = APPENDERS;
const FOLD_TIMEOUT_MS = 600_000;

export interface FoldRun {
  /** Events folded: the votes and the PollOpened. */
  events: number;
  seconds: number;
  batches: number;
  /** Time between consecutive committed batches (read, apply, checkpoint, commit). */
  batchP50Ms: number | null;
  batchP99Ms: number | null;
  problems: string[];
}

/** Voter `v`'s ballot: VOTES_PER_BALLOT votes, decided by the real ballot decider. */
function ballotEvents(poll: PollState, voter: number, expected: ExpectedCounts): BallotEvent[] {
  let ballot: BallotState = initialBallotState;
  const events: BallotEvent[] = [];
  const at = new Date().toISOString();
  for (let n = 0; n < VOTES_PER_BALLOT; n++) {
    const optionId = OPTION_IDS[(voter + n) % OPTION_IDS.length] ?? 'o1';
    const data = { pollId: POLL_ID, voterId: `voter-${voter}`, optionId, at };
    const decision = decideBallot({ type: 'CastVote', data }, { poll, ballot });
    if (!decision.ok) throw new Error(`the ballot decider refused: ${decision.error.code}`);
    for (const event of decision.events) {
      if (event.type === 'Voted') expected.vote(POLL_ID, optionId, event.data.previousOptionId);
      ballot = evolveBallot(ballot, event);
      events.push(event);
    }
  }
  return events;
}

/** The poll and `votes` Voted events, appended by 16 concurrent writers; the last position. */
async function appendLog(
  store: PostgresEventStore,
  votes: number,
  expected: ExpectedCounts,
): Promise<bigint> {
  const { metadata } = commandContext();
  const opened = decidePoll(
    {
      type: 'OpenPoll',
      data: { pollId: POLL_ID, title: 'Fold', options: optionsOf(OPTION_TEXTS), at: metadata.time },
    },
    initialPollState,
  );
  if (!opened.ok) throw new Error('the poll decider refused to open the bench poll');
  const poll = opened.events.reduce(evolvePoll, initialPollState);
  let last = (
    await store.append(
      pollStreamId(POLL_ID),
      opened.events.map((e) => ({ ...e, metadata })),
      'no_stream',
    )
  ).position;
  const voters = Math.ceil(votes / VOTES_PER_BALLOT);
  let next = 0;
  const appender = async (): Promise<void> => {
    for (let voter = next++; voter < voters; voter = next++) {
      const events = ballotEvents(poll, voter, expected).map((e) => ({ ...e, metadata }));
      const stream = ballotStreamId(POLL_ID, `voter-${voter}`);
      const { position } = await store.append(stream, events, 'no_stream');
      if (position > last) last = position;
    }
  };
  await Promise.all(Array.from({ length: APPENDERS }, appender));
  return last;
}

/**
 * Appends the log into the fresh database at `url`, then times a Projector with only
 * poll-counts from checkpoint 0 until its committed position reaches the last append.
 */
export async function runFold(
  url: string,
  votes: number,
  batchSize: number,
  onProgress: (fraction: number) => void,
): Promise<FoldRun> {
  const pool = createPool(url, POOL_SIZE);
  const store = new PostgresEventStore({ pool, url });
  const expected = new ExpectedCounts();
  try {
    const last = await appendLog(store, votes, expected);
    // Hint bits, visibility map and statistics set now, not by the first batches timed.
    await pool.query('VACUUM ANALYZE tally_events');
    const total = expected.votes + 1;
    const reached = deferred();
    const intervals: number[] = [];
    let folded = 0;
    let previous = performance.now();
    let reachedAt = Number.NaN;
    const projector = new Projector({
      pool,
      store,
      projections: [pollCountsProjection],
      batchSize,
      onCommitted: (_name, position, _changes, events) => {
        const now = performance.now();
        intervals.push(now - previous);
        previous = now;
        folded += events.length;
        onProgress(folded / total);
        if (position >= last && Number.isNaN(reachedAt)) {
          reachedAt = now;
          reached.resolve();
        }
      },
      onError: (_name, error) => reached.reject(error),
    });
    const began = performance.now();
    previous = began;
    await projector.start();
    try {
      await within(reached.promise, FOLD_TIMEOUT_MS, `batch ${batchSize}: fold timed out`);
    } finally {
      await projector.stop();
    }
    const seconds = (reachedAt - began) / 1000;
    const sorted = Float64Array.from(intervals).sort();
    const problems = await countProblems(pool, expected);
    if (folded !== total) problems.push(`folded ${folded} events, appended ${total}`);
    return {
      events: folded,
      seconds,
      batches: intervals.length,
      batchP50Ms: percentile(sorted, 50),
      batchP99Ms: percentile(sorted, 99),
      problems,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}
