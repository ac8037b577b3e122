import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandPipeline, PostgresIdempotencyStore } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { createPool } from '@tally/infra';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { warmPool } from '../hot-sku/pool';
import type { Timing } from '../lib/measure';
import { countProblems } from '../projections/counts';
import { castVotes, openPolls, type Load } from './load';
import { childEnv, startApp, type TallyProcess } from './processes';
import { Visibility } from './visibility';

/** The command side's pool: Tally's default TALLY_PG_POOL_SIZE. */
export const POOL_SIZE = 20;
export const PARTITIONS = 6;
const DRAIN_TIMEOUT_MS = 120_000;

export interface KafkaRun {
  /** Commands accepted inside the window, per second (one Voted event each). */
  acceptedPerSec: number;
  /** Events the projector group applied inside the window, per second. */
  appliedPerSec: number;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
  lagSamples: number;
  /** Events appended but not yet applied when the load stopped. */
  backlog: number;
  /** How fast that backlog was applied once the load stopped (null when under 500 events). */
  drainPerSec: number | null;
  accepted: number;
  /** Accepted events the group had not applied when the drain gave up (0 when exact). */
  lost: number;
  problems: string[];
}

/**
 * Events the group has applied: each stream's applied revision + 1, summed. Relay resends and
 * any non-event messages on the topic do not count.
 */
async function appliedEvents(pool: Pool, groupId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    'SELECT coalesce(sum(revision + 1), 0)::text AS n FROM tally_kafka_stream_progress WHERE group_id = $1',
    [groupId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Waits until the group's `members` processes all hold partitions and it is stable. */
async function groupStable(admin: Admin, groupId: string, members: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (group?.state === 'Stable' && group.members.length === members) return;
    if (performance.now() > deadline) throw new Error(`group ${groupId} not stable after 60 s`);
    await sleep(100);
  }
}

/**
 * One cell: a fresh database, a topic of its own, the relay and `projectors` projector
 * processes (Kafka mode, one consumer group), and the vote load from this process.
 */
export async function runCell(
  url: string,
  brokers: string[],
  load: Load,
  projectors: number,
  timing: Timing,
  sampleEvery: number,
  onProgress: (fraction: number) => void,
  log: (line: string) => void,
): Promise<KafkaRun> {
  const pool = createPool(url, POOL_SIZE);
  const store = new PostgresEventStore({ pool, url });
  const pipeline = new CommandPipeline({ store, idempotency: new PostgresIdempotencyStore(pool) });
  const topic = `tally.events.bench.${randomBytes(4).toString('hex')}`;
  const groupId = `bench-${randomBytes(4).toString('hex')}`;
  const kafka = new Kafka({ clientId: 'tally-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const visibility = new Visibility(pool, groupId);
  const processes: TallyProcess[] = [];
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: PARTITIONS }],
    });
    const env = childEnv({
      DATABASE_URL: url,
      KAFKA_BROKERS: brokers.join(','),
      TALLY_TOPIC: topic,
      TALLY_PROJECTOR_GROUP: groupId,
    });
    processes.push(await startApp('relay', 'relay running', env));
    for (let i = 0; i < projectors; i++)
      processes.push(await startApp('projector', 'projector running', env));
    await groupStable(admin, groupId, projectors);
    await warmPool(pool, POOL_SIZE, log);
    const polls = await openPolls(pipeline);
    visibility.start();

    // Events applied at the window's edges (timers: the load keeps the event loop busy).
    const edges = [timing.warmupMs, timing.warmupMs + timing.durationMs].map(
      (ms) =>
        new Promise<{ at: number; events: number }>((resolve, reject) => {
          setTimeout(() => {
            const at = performance.now();
            appliedEvents(pool, groupId).then((events) => resolve({ at, events }), reject);
          }, ms);
        }),
    );
    for (const edge of edges) edge.catch(() => undefined);
    const run = await castVotes(
      pipeline,
      store,
      polls,
      load,
      timing,
      visibility,
      sampleEvery,
      onProgress,
    );
    const [first, last] = await Promise.all(edges);
    const stoppedAt = performance.now();
    const total = run.expected.votes + polls.length;
    const backlog = total - (await appliedEvents(pool, groupId));
    const deadline = stoppedAt + DRAIN_TIMEOUT_MS;
    let applied = total - backlog;
    while (applied < total || visibility.pending > 0) {
      if (performance.now() > deadline) break;
      await sleep(25);
      applied = await appliedEvents(pool, groupId);
    }
    const drainedAt = performance.now();
    const problems = await countProblems(pool, run.expected);
    if (applied !== total)
      problems.push(`the group applied ${applied} events, the log holds ${total}`);
    for (const app of processes.splice(0)) {
      const code = await app.stop();
      if (code !== 0) problems.push(`${app.name} exited with ${String(code)}`);
    }
    const seconds = timing.durationMs / 1000;
    const lag = visibility.lagStats(run.start, run.end);
    return {
      acceptedPerSec: run.acceptedInWindow / seconds,
      appliedPerSec: (last!.events - first!.events) / ((last!.at - first!.at) / 1000),
      lagP50Ms: lag.p50,
      lagP99Ms: lag.p99,
      lagMaxMs: lag.max,
      lagSamples: lag.samples,
      backlog,
      drainPerSec: backlog >= 500 ? backlog / ((drainedAt - stoppedAt) / 1000) : null,
      accepted: run.expected.votes,
      lost: Math.max(0, total - applied),
      problems,
    };
  } finally {
    for (const app of processes) app.kill();
    await visibility.stop().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await store.close();
    await pool.end();
  }
}
