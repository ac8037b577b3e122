import { CommandPipeline, PostgresIdempotencyStore } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import { Projector } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { pollCountsTables } from '@tally/read-models/poll-counts';
import type { HttpReply } from '../../apps/api/src/http/error-codes';
import { castVote, renderCastVote } from '../../apps/api/src/polls/cast-vote.command';
import { openPoll, renderOpenPoll } from '../../apps/api/src/polls/open-poll.command';
import { LagRecorder } from '../lib/lag';
import type { Attempt } from '../lib/measure';
import { ExpectedCounts, countProblems } from '../projections/counts';
import { OPTION_TEXTS, commandContext, setupSchema } from '../projections/setup';
import type { VoteCheck, VoteLoad, VoteSession, VoteSystem } from './system';
import { voteSource } from './system';

const DRAIN_TIMEOUT_MS = 60_000;

const field = (reply: HttpReply, name: string): unknown => reply.body[name];

/** Tally's schema with every projection, and the polls opened through the real pipeline. */
async function setupTally(url: string, load: VoteLoad): Promise<void> {
  await setupSchema(url, allProjections);
  const pool = createPool(url, 2);
  const store = new PostgresEventStore({ pool, url });
  try {
    const pipeline = new CommandPipeline({
      store,
      idempotency: new PostgresIdempotencyStore(pool),
    });
    for (const pollId of load.polls) {
      const input = { pollId, title: `Poll ${pollId}`, options: OPTION_TEXTS };
      const { reply } = await pipeline.execute(
        openPoll(input, commandContext()),
        renderOpenPoll(input),
      );
      if (reply.status !== 201) throw new Error(`opening ${pollId} answered ${reply.status}`);
    }
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * Tally as the API runs it: the real cast-vote command through the CommandPipeline (the poll
 * decided as remembered, proven by the append's condition; or, `rememberContexts: false`,
 * read before every decision), and a Projector for every projection in the same process on
 * the same pool. A vote is acknowledged once its events are appended; its lag is the time
 * until poll-counts has committed its position.
 */
const tallyVotes = (rememberContexts: boolean): VoteSystem => ({
  name: rememberContexts ? 'tally' : 'tally-context-read',
  description: rememberContexts
    ? 'CommandPipeline with the real cast-vote command (a ballot stream per poll and voter; the poll remembered, the append conditioned on its revision: one round trip), acknowledged once appended; all 5 projections follow in the same process on the same pool'
    : 'the same, but the poll read before every decision (two sequential round trips per vote: the design before append conditions)',
  setup: setupTally,

  async open(url, poolSize, load) {
    const pool = createPool(url, poolSize);
    const store = new PostgresEventStore({ pool, url });
    const pipeline = new CommandPipeline({
      store,
      idempotency: new PostgresIdempotencyStore(pool),
      rememberContexts,
    });
    const recorder = new LagRecorder();
    const expected = new ExpectedCounts();
    let failure: Error | undefined;
    let acknowledged = 0;
    const held = new Map<string, string>();
    const projector = new Projector({
      pool,
      store,
      projections: allProjections,
      onCommitted: (name, position) => {
        if (name === 'poll-counts') recorder.committedTo(position);
      },
      onError: (name, error) => {
        failure ??= new Error(`projection ${name} failed`, { cause: error });
      },
    });
    await projector.start();
    const session: VoteSession = {
      pool,
      voter(client): Attempt {
        const next = voteSource(load, client, held);
        return async () => {
          if (failure) throw failure;
          const input = next();
          const { pollId, optionId } = input;
          const command = castVote(input, commandContext());
          const { reply } = await pipeline.execute(command, renderCastVote(input));
          if (reply.status !== 200) {
            throw new Error(`cast-vote answered ${reply.status} ${JSON.stringify(reply.body)}`);
          }
          acknowledged++;
          if (field(reply, 'changed') === true) {
            const previous = field(reply, 'previousOptionId');
            expected.vote(pollId, optionId, typeof previous === 'string' ? previous : null);
            recorder.acknowledged(BigInt(String(field(reply, 'position'))));
          }
          return true;
        };
      },
      async check(window): Promise<VoteCheck> {
        const drained = await recorder.drained(DRAIN_TIMEOUT_MS);
        if (failure) throw failure;
        const problems = await countProblems(pool, expected);
        if (!drained) problems.push(`poll-counts did not catch up within ${DRAIN_TIMEOUT_MS} ms`);
        const { rows } = await pool.query<{ counted: string; tx: string; voted: string }>(
          `SELECT (SELECT coalesce(sum(votes), 0) FROM ${pollCountsTables.options})::text AS counted,
                  count(DISTINCT position >> 20)::text AS tx, count(*)::text AS voted
             FROM tally_events WHERE type = 'Voted'`,
        );
        const counted = Number(rows[0]?.counted ?? 0);
        // Each Voted adds one to an option and, for a changed vote, takes one from another.
        let want = 0;
        for (const n of expected.options.values()) want += n;
        const lag = recorder.stats(window.start, window.end);
        return {
          acknowledged,
          counted,
          lost: Math.max(0, want - counted),
          problems,
          lagP50Ms: lag.p50,
          lagP99Ms: lag.p99,
          lagSamples: lag.samples,
          perTransaction: Number(rows[0]?.voted ?? 0) / Math.max(1, Number(rows[0]?.tx ?? 0)),
        };
      },
      async close() {
        await projector.stop();
        await store.close();
        await pool.end();
      },
    };
    return session;
  },
});

export const tallyVoteSystem = tallyVotes(true);
export const tallyContextReadSystem = tallyVotes(false);
