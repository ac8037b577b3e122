import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaProjector } from '../../libs/projections/src';
import { Relay } from '../../libs/relay/src';
import { allProjections } from '../../projections';
import { jsonOf, runCli } from '../support/cli-process';
import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { startLocalBroker, type LocalBroker } from '../support/kafka-broker';
import { until } from '../support/projection-harness';
import { parsePrometheusText, samplesOf } from '../support/prometheus-text';

interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

describe('operations with Kafka on: consumer-group and relay lag, broker readiness', () => {
  const topic = `tally.events.ops.${randomBytes(4).toString('hex')}`;
  const group = `ops-${randomBytes(4).toString('hex')}`;
  let broker: LocalBroker;
  let app: HttpApp;
  let relay: Relay;
  let projector: KafkaProjector | undefined;
  let optionId = '';

  const metrics = async (): Promise<ReturnType<typeof parsePrometheusText>> =>
    parsePrometheusText(await (await fetch(`${app.baseUrl}/metrics`)).text());
  const groupLag = async (): Promise<number[]> =>
    samplesOf(await metrics(), 'tally_kafka_consumergroup_lag', { group, topic })
      .sort((a, b) => Number(a.labels.partition) - Number(b.labels.partition))
      .map((s) => s.value);
  /** Casts `count` votes; returns the highest position acknowledged. */
  const vote = async (count: number, prefix: string): Promise<bigint> => {
    const replies = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        call(app.baseUrl, 'POST', '/polls/k1/votes', { voterId: `${prefix}${i}`, optionId }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(count);
    return replies.map((r) => BigInt(String(r.body.position))).reduce((a, b) => (a > b ? a : b));
  };
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    broker = await startLocalBroker();
    app = await startHttpApp({
      KAFKA_BROKERS: broker.brokers.join(','),
      TALLY_TOPIC: topic,
      TALLY_PROJECTOR_GROUP: group,
      TALLY_PROJECTOR: 'off',
    });
    const kafka = new Kafka({
      clientId: 'ops-test',
      brokers: broker.brokers,
      logLevel: logLevel.NOTHING,
    });
    relay = new Relay({ pool: app.db.pool, store: app.store, kafka, topic, partitions: 6 });
    await relay.start();
    projector = new KafkaProjector({
      pool: app.db.pool,
      kafka,
      topic,
      groupId: group,
      projections: allProjections,
    });
    await projector.start();
    const poll = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'k1',
      title: 'K',
      options: ['a', 'b'],
    });
    optionId = (poll.body.options as { optionId: string }[])[0]!.optionId;
  }, 240_000);
  afterAll(async () => {
    await projector?.stop();
    await relay?.stop();
    await app?.close();
    await broker?.stop();
  }, 120_000);

  it('/health/ready checks the broker', async () => {
    const ready = await call(app.baseUrl, 'GET', '/health/ready');
    expect([ready.status, ready.body.checks]).toEqual([200, { store: 'up', broker: 'up' }]);
  });

  it('/metrics, /ops/status and `tally lag` agree on the lag per partition: 0 when consumed, exactly the unconsumed messages when the group stops', async () => {
    const acknowledged = await vote(200, 'a');
    // Kafka mode keeps read-your-writes: the group's watermark moves the checkpoints.
    const read = await call(app.baseUrl, 'GET', `/polls/k1?minPosition=${acknowledged}`);
    expect([read.status, read.body.totalVotes]).toEqual([200, 200]);
    expect(BigInt(String(read.body.position))).toBeGreaterThanOrEqual(acknowledged);
    await until(
      async () => {
        const lags = await groupLag();
        const relayLag = samplesOf(await metrics(), 'tally_relay_lag_events', { relay: 'relay' });
        return lags.length === 6 && lags.every((l) => l === 0) && relayLag[0]?.value === 0;
      },
      'group and relay caught up',
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    await projector!.stop();
    projector = undefined;
    await vote(120, 'b');
    // 120 events, plus the relay's watermarks: one message on every partition each time.
    let settled: number[] = [];
    await until(
      async () => {
        const before = await groupLag();
        await new Promise((resolve) => setTimeout(resolve, 400));
        settled = await groupLag();
        const relayLag = samplesOf(await metrics(), 'tally_relay_lag_events', { relay: 'relay' });
        return (
          relayLag[0]?.value === 0 &&
          JSON.stringify(before) === JSON.stringify(settled) &&
          sum(settled) >= 126 &&
          (sum(settled) - 120) % 6 === 0
        );
      },
      'lag of the 120 unconsumed events and the watermarks, settled',
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const fromMetrics = settled;
    const projections = (await call(app.baseUrl, 'GET', '/projections')).body as unknown as {
      name: string;
      lagEvents: number;
    }[];
    expect(projections.find((p) => p.name === 'poll-counts')?.lagEvents).toBe(120);

    const cli = jsonOf<{
      consumerGroups: PartitionLag[];
      relays: { name: string; lagEvents: number }[];
    }>(
      await runCli(['lag', '--json'], app.db.url, {
        KAFKA_BROKERS: broker.brokers.join(','),
        TALLY_TOPIC: topic,
        TALLY_PROJECTOR_GROUP: group,
      }),
    );
    const mine = cli.consumerGroups
      .filter((p) => p.group === group)
      .sort((a, b) => a.partition - b.partition);
    expect(mine.map((p) => p.lag)).toEqual(fromMetrics);
    expect(cli.relays).toEqual([expect.objectContaining({ name: 'relay', lagEvents: 0 })]);

    const status = await call(app.baseUrl, 'GET', '/ops/status');
    const groups = (status.body.kafka as { consumerGroups: PartitionLag[] }).consumerGroups;
    expect(groups.filter((p) => p.group === group).reduce((n, p) => n + p.lag, 0)).toBe(
      sum(fromMetrics),
    );
  }, 120_000);

  it('the broker stopped → /health/ready 503 naming the broker, metrics still served; started again → ready', async () => {
    await relay.stop();
    await broker.halt();
    try {
      await until(
        async () => (await call(app.baseUrl, 'GET', '/health/ready')).status === 503,
        'not ready without the broker',
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      const down = await call(app.baseUrl, 'GET', '/health/ready');
      expect(down.body).toMatchObject({ error: 'unavailable', down: ['broker'] });
      const scrape = await fetch(`${app.baseUrl}/metrics`);
      expect(scrape.status).toBe(200);
      expect(
        parsePrometheusText(await scrape.text()).types.get('tally_kafka_consumergroup_lag'),
      ).toBe('gauge');
      expect((await call(app.baseUrl, 'GET', '/health/live')).status).toBe(200);
    } finally {
      await broker.start();
    }
    await until(
      async () => (await call(app.baseUrl, 'GET', '/health/ready')).status === 200,
      'ready again',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 180_000);
});
