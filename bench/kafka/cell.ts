import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandPipeline, IdempotencyRepository } from '@tally/commands';
import { PostgresEventStore } from '@tally/event-store';
import { createPool, migrate } from '@tally/infra';
import { kafkaOffsetMigrations } from '@tally/projections';
import { relayMigrations } from '@tally/relay';
import { Kafka, logLevel, type Admin } from 'kafkajs';
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
  problems: string[];
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
  await migrate(pool, [...kafkaOffsetMigrations, ...relayMigrations]);
  const store = new PostgresEventStore({ pool, url });
  const pipeline = new CommandPipeline({
    pool,
    store,
    idempotency: new IdempotencyRepository(pool),
  });
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
    const stoppedAt = performance.now();
    const total = run.expected.votes + polls.length;
    const backlog = total - visibility.messages;
    const deadline = stoppedAt + DRAIN_TIMEOUT_MS;
    while (visibility.messages < total || visibility.pending > 0) {
      if (performance.now() > deadline) break;
      await sleep(10);
    }
    const drainedAt = performance.now();
    const problems = await countProblems(pool, run.expected);
    if (visibility.messages !== total)
      problems.push(
        `the group applied ${visibility.messages} messages, the log holds ${total} events`,
      );
    for (const app of processes.splice(0)) {
      const code = await app.stop();
      if (code !== 0) problems.push(`${app.name} exited with ${String(code)}`);
    }
    const seconds = timing.durationMs / 1000;
    const lag = visibility.lagStats(run.start, run.end);
    return {
      acceptedPerSec: run.acceptedInWindow / seconds,
      appliedPerSec: (visibility.messagesAt(run.end) - visibility.messagesAt(run.start)) / seconds,
      lagP50Ms: lag.p50,
      lagP99Ms: lag.p99,
      lagMaxMs: lag.max,
      lagSamples: lag.samples,
      backlog,
      drainPerSec: backlog >= 500 ? backlog / ((drainedAt - stoppedAt) / 1000) : null,
      accepted: run.expected.votes,
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
