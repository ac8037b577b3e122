import { randomInt } from 'node:crypto';
import { createPool } from '@tally/infra';
import { POOL_SIZE } from '../http/cell';
import { fire, noAnswers, type Workload } from '../http/load';
import { call, startApi, type ApiServer } from '../http/server';
import { caughtUp } from '../http/tally-cell';
import { cpuUs, minus } from '../lib/process-cpu';
import { formatNumber, writeResults } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { ms } from '../lib/summary';
import { OPTION_IDS, OPTION_TEXTS } from '../projections/setup';
import { Subscribers } from './subscriber-process';

const NAME = 'live';
const FOLLOWED = Array.from({ length: 5 }, (_, i) => `live-${i + 1}`);
const SUBSCRIBERS = 1_000;
const MANY_POLLS = Array.from({ length: 100 }, (_, i) => `many-${i + 1}`);
const MANY_STREAMS = 10_000;
const EXACT_TIMEOUT_MS = 30_000;

/** Random voters of 10,000 on `polls`, random options: every batch moves every followed poll. */
function liveVotes(polls: readonly string[]): Workload {
  return {
    name: 'live-votes',
    polls,
    next: () => ({
      pollId: polls[randomInt(polls.length)] ?? polls[0]!,
      voterId: `voter-${randomInt(10_000)}`,
      optionId: OPTION_IDS[randomInt(OPTION_IDS.length)] ?? 'o1',
    }),
  };
}

interface LoadRun {
  perSec: number;
  p99: number;
  lastAckAt: number;
  refused: number;
  /** CPU the API process (all threads) used per acknowledged vote, µs. */
  apiCpuUsPerVote: number | null;
  /** Cores the followers' process used while the votes ran: CPU the API could not have. */
  subscriberCores: number | null;
}

async function load(
  server: ApiServer,
  polls: readonly string[],
  seconds: number,
  subscriberPid?: number,
): Promise<LoadRun> {
  const answers = noAnswers();
  let lastAckAt = 0;
  const followers = (): number | null => (subscriberPid ? cpuUs(subscriberPid) : null);
  const [api0, sub0] = [cpuUs(server.pid), followers()];
  const result = await fire(server.baseUrl, liveVotes(polls), seconds, answers, () => {
    lastAckAt = Date.now();
  });
  const [api, sub] = [minus(cpuUs(server.pid), api0), minus(followers(), sub0)];
  return {
    perSec: answers.accepted / result.duration,
    p99: result.latency.p99,
    lastAckAt,
    refused: answers.refused,
    apiCpuUsPerVote: api === null || answers.accepted === 0 ? null : api / answers.accepted,
    subscriberCores: sub === null ? null : sub / 1e6 / result.duration,
  };
}

/** What the followers must end at, and when the last vote was written. */
interface Finals {
  /** GET /polls/{id} once poll-counts has folded the whole log. */
  counts: Record<string, Record<string, number>>;
  /**
   * When the last Voted event was written (its recorded_at): votes whose answers autocannon
   * dropped as it stopped are still appended, after the last answer it saw.
   */
  lastAppendAt: number;
}

async function finals(server: ApiServer, url: string, polls: readonly string[]): Promise<Finals> {
  const pool = createPool(url, 2);
  let lastAppendAt: number;
  try {
    if (!(await caughtUp(pool))) throw new Error('poll-counts did not catch up');
    const { rows } = await pool.query<{ at: number | null }>(
      "SELECT extract(epoch FROM max(recorded_at)) * 1000 AS at FROM tally_events WHERE type = 'Voted'",
    );
    lastAppendAt = Math.round(Number(rows[0]?.at ?? 0));
  } finally {
    await pool.end();
  }
  const counts: Record<string, Record<string, number>> = {};
  for (const pollId of polls) {
    const view = await call(server, 'GET', `/polls/${pollId}`, undefined, 200);
    const options = view.options as { optionId: string; votes: number }[];
    counts[pollId] = Object.fromEntries(options.map((o) => [o.optionId, o.votes]));
  }
  return { counts, lastAppendAt };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function residentBytes(server: ApiServer): Promise<number> {
  const text = await fetch(`${server.baseUrl}/metrics`).then((r) => r.text());
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
}

interface FollowedRun {
  run: LoadRun;
  /** Per exact stream: ms from the last vote (acknowledged or appended) to its final message. */
  seen: number[];
  exact: number;
  total: number;
  bytesPerStream: number;
  /** How long after the last answer autocannon saw the last vote was appended (ms). */
  lastAppendAfterAckMs: number;
}

/** Opens the streams, votes, waits for every stream to show the final counts. */
async function followed(
  context: BenchContext,
  server: ApiServer,
  url: string,
  polls: readonly string[],
  perPoll: number,
  seconds: number,
): Promise<FollowedRun> {
  const subscribers = new Subscribers();
  try {
    const before = await residentBytes(server);
    const opened = await subscribers.ask({
      cmd: 'open',
      baseUrl: server.baseUrl,
      polls: [...polls],
      perPoll,
    });
    if (opened.ok !== 'opened' || opened.failed > 0)
      throw new Error(`streams: ${JSON.stringify(opened)}`);
    const bytesPerStream = ((await residentBytes(server)) - before) / opened.count;
    context.progress.line(`${NAME}: ${opened.count} streams open`);
    const run = await load(server, polls, seconds, subscribers.pid);
    const final = await finals(server, url, polls);
    const expected = await subscribers.ask({
      cmd: 'expect',
      finals: final.counts,
      timeoutMs: EXACT_TIMEOUT_MS,
    });
    if (expected.ok !== 'expected') throw new Error('subscribers: no answer');
    const lastVoteAt = Math.max(run.lastAckAt, final.lastAppendAt);
    const seen = expected.reachedAt.map((at) => Math.max(0, at - lastVoteAt));
    return {
      run,
      seen,
      exact: expected.exact,
      total: expected.total,
      bytesPerStream,
      lastAppendAfterAckMs: Math.round(final.lastAppendAt - run.lastAckAt),
    };
  } finally {
    subscribers.close();
  }
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const seconds = context.timing.durationMs / 1000;
  const url = await context.databases.create('live');
  const server = await startApi(url, POOL_SIZE);
  try {
    for (const pollId of [...FOLLOWED, ...MANY_POLLS]) {
      await call(server, 'POST', '/polls', { pollId, title: pollId, options: OPTION_TEXTS }, 201);
    }
    context.progress.update(`${NAME} warm-up`, 0);
    await load(server, FOLLOWED, Math.max(1, context.timing.warmupMs / 1000));
    context.progress.update(`${NAME} no subscribers`, 0.2);
    const alone = await load(server, FOLLOWED, seconds);
    context.progress.update(`${NAME} ${SUBSCRIBERS} subscribers`, 0.4);
    const watched = await followed(
      context,
      server,
      url,
      FOLLOWED,
      SUBSCRIBERS / FOLLOWED.length,
      seconds,
    );
    context.progress.update(`${NAME} ${MANY_STREAMS} streams`, 0.7);
    const many = await followed(
      context,
      server,
      url,
      MANY_POLLS,
      MANY_STREAMS / MANY_POLLS.length,
      Math.min(seconds, 5),
    );
    const ratio = watched.run.perSec / alone.perSec;
    const results: ScenarioResult[] = [
      row('live/votes', 'no-subscribers', alone, null, {}),
      row('live/votes', `${SUBSCRIBERS}-subscribers`, watched.run, watched, {
        ratioPercent: Number((ratio * 100).toFixed(1)),
      }),
      row(`live/${MANY_STREAMS}-streams`, 'tally-http', many.run, many, {
        kibPerStream: Number((many.bytesPerStream / 1024).toFixed(1)),
      }),
    ];
    console.log(`\n## ${NAME}: votes while Server-Sent Events streams follow the polls\n`);
    console.log(
      "| cell | votes/s | vote p99 ms | streams exact | seen p50 / p99 ms | API µs CPU / vote | followers' cores |",
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const d = r.detail ?? {};
      console.log(
        `| ${r.name} ${r.system} | ${formatNumber(r.opsPerSec)} | ${formatNumber(r.p99Ms ?? 0, 1)} | ${String(d.exact ?? '–')}/${String(d.streams ?? '–')} | ${d.seenP50Ms ?? '–'} / ${r.lagP99Ms ?? '–'} | ${d.apiCpuUsPerVote ?? '–'} | ${d.subscriberCores ?? '–'} |`,
      );
    }
    console.log(
      `\nWith ${SUBSCRIBERS} subscribers the vote rate is ${(ratio * 100).toFixed(1)} % of the rate without; ` +
        `${MANY_STREAMS} streams cost ${(many.bytesPerStream / 1024).toFixed(1)} KiB each in the API process. ` +
        'seen: from the last vote to the message that made a stream exact; the last vote is the last one acknowledged, ' +
        'or the last one appended when later (autocannon drops the answers in flight as it stops, not the votes).\n',
    );
    const path = await writeResults(NAME, {
      scenarios: results,
      machine: context.machine,
      generatedAt: new Date().toISOString(),
    });
    context.progress.line(`wrote ${path}`);
    return results;
  } finally {
    await server.stop();
  }
}

function row(
  name: string,
  system: string,
  load: LoadRun,
  streams: FollowedRun | null,
  extra: Record<string, number>,
): ScenarioResult {
  return {
    name,
    system,
    opsPerSec: Math.round(load.perSec),
    lost: streams ? streams.total - streams.exact : 0,
    oversold: null,
    p50Ms: null,
    p99Ms: ms(load.p99),
    lagP99Ms: streams ? ms(percentile(streams.seen, 99)) : null,
    detail: {
      refused: load.refused,
      ...(load.apiCpuUsPerVote === null
        ? {}
        : { apiCpuUsPerVote: Math.round(load.apiCpuUsPerVote) }),
      ...(load.subscriberCores === null
        ? {}
        : { subscriberCores: Number(load.subscriberCores.toFixed(2)) }),
      ...(streams
        ? {
            streams: streams.total,
            exact: streams.exact,
            seenP50Ms: ms(percentile(streams.seen, 50)),
            lastAppendAfterAckMs: streams.lastAppendAfterAckMs,
          }
        : {}),
      ...extra,
    },
  };
}

export const liveBenchmark: BenchModule = {
  name: NAME,
  description: `votes on 5 polls with and without ${SUBSCRIBERS} live subscribers; ${MANY_STREAMS} streams on one API process`,
  scenarios: ['live/votes', `live/${MANY_STREAMS}-streams`],
  run,
};
