import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { foldFromScratch, tableDifference } from '../../libs/projections/src';
import { Relay } from '../../libs/relay/src';
import { pollCountsProjection } from '../../projections/poll-counts';
import { runCli } from '../support/cli-process';
import { useKafkaTestbed } from '../support/kafka-testbed';
import { pollOpened, TEST_TIME } from '../support/poll-events';
import { until } from '../support/projection-harness';
import { startProjector, type ProjectorProcess } from '../support/projector-process';
import { cleanEnv } from '../support/service-process';

const ENTRY = join(__dirname, '..', '..', 'dist', 'apps', 'projector', 'src', 'main.js');

/** Runs the built projector until it exits by itself: its exit code and all it printed. */
function projectorExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describe('Kafka mode: the read tables belong to one consumer group; the projector waits for the topic', () => {
  const bed = useKafkaTestbed();
  const topic = `tally.events.owner.${randomBytes(4).toString('hex')}`;
  const first = `first-${randomBytes(3).toString('hex')}`;
  const second = `second-${randomBytes(3).toString('hex')}`;
  const env = (group: string): NodeJS.ProcessEnv =>
    cleanEnv({
      DATABASE_URL: bed.db().url,
      KAFKA_BROKERS: bed.broker().brokers.join(','),
      TALLY_TOPIC: topic,
      TALLY_PROJECTOR_GROUP: group,
      TALLY_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
  let relay: Relay | undefined;
  let projector: ProjectorProcess | undefined;
  let voters = 0;

  const vote = async (count: number): Promise<void> => {
    for (let n = 0; n < count; n++, voters++) {
      await bed.store().append(
        `ballot-o|v${voters}`,
        [
          {
            type: 'Voted',
            data: {
              pollId: 'o',
              voterId: `v${voters}`,
              optionId: voters % 2 ? 'a' : 'b',
              previousOptionId: null,
              votedAt: TEST_TIME,
            },
          },
        ],
        'no_stream',
      );
    }
  };
  const counted = async (): Promise<number> => {
    const { rows } = await bed
      .db()
      .pool.query<{ n: string }>(
        `SELECT coalesce(sum(votes), 0) AS n FROM proj_poll_options WHERE poll_id = 'o'`,
      );
    return Number(rows[0]?.n);
  };
  /** The live poll-counts tables equal a fold of the whole log. */
  const expectExact = async (): Promise<void> => {
    const head = await bed.store().headPosition();
    const oracle = await foldFromScratch({
      pool: bed.db().pool,
      store: bed.store(),
      projection: pollCountsProjection,
      until: head,
    });
    for (const [logical, live] of Object.entries(pollCountsProjection.tables))
      expect(await tableDifference(bed.db().pool, live, oracle[logical]!)).toBe(0);
  };

  afterAll(async () => {
    projector?.child.kill('SIGTERM');
    await projector?.exited;
    await relay?.stop();
  }, 60_000);

  it('a projector started before the topic exists waits for it, saying so, then consumes', async () => {
    projector = await startProjector(env(first), 'waiting for the topic');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(projector.child.exitCode).toBeNull();
    relay = new Relay({ pool: bed.db().pool, store: bed.store(), kafka: bed.kafka(), topic });
    await relay.start();
    await bed.store().append('poll-o', [pollOpened('o', 'O')], 'no_stream');
    await vote(40);
    await until(async () => (await counted()) === 40, 'the waiting projector to count the votes', {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
  }, 90_000);

  it('a projector of another group on the same tables exits non-zero, naming both groups, without a stack', async () => {
    const refused = await projectorExit(env(second));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`'${first}'`);
    expect(refused.output).toContain(`'${second}'`);
    expect(refused.output).toContain('take-over');
    expect(refused.output).not.toMatch(/\n\s+at /);
    expect(await counted()).toBe(40);
  }, 60_000);

  it('`tally kafka take-over` moves the tables: the new group carries on exactly, the old one is refused', async () => {
    await vote(20);
    await until(async () => (await counted()) === 60, 'the first group to count', {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    projector!.child.kill('SIGTERM');
    await projector!.exited;
    projector = undefined;
    // Votes the first group never saw: the second must fold them, and nothing twice.
    await vote(20);
    const cli = await runCli(['kafka', 'take-over', '--group', second], bed.db().url, {
      KAFKA_BROKERS: bed.broker().brokers.join(','),
      TALLY_TOPIC: topic,
    });
    expect([cli.code, cli.stderr]).toEqual([0, expect.any(String)]);
    expect(cli.stdout).toContain(`now belong to consumer group '${second}' (was '${first}')`);

    const old = await projectorExit(env(first));
    expect(old.code).not.toBe(0);
    expect(old.output).toContain(`belong to consumer group '${second}', not to '${first}'`);

    projector = await startProjector(env(second));
    await vote(20);
    await until(async () => (await counted()) >= 100, 'the second group to count', {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await counted()).toBe(100);
    await expectExact();
  }, 120_000);
});
