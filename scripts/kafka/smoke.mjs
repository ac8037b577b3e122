// Smoke test for the local broker started by scripts/kafka/kafka.sh:
// create topic (idempotent), produce N keyed messages with headers, consume them
// with a fresh consumer group, assert every message arrived with its headers.
//
//   bash scripts/kafka/kafka.sh start && node scripts/kafka/smoke.mjs
//
// Env: KAFKA_PORT (default 29092), SMOKE_TOPIC (default tally.smoke), SMOKE_COUNT (default 100)
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { clearTimeout, setTimeout } from 'node:timers';

const port = process.env.KAFKA_PORT ?? '29092';
const topic = process.env.SMOKE_TOPIC ?? 'tally.smoke';
const count = Number(process.env.SMOKE_COUNT ?? 100);
const partitions = 6;
const runId = randomUUID();
const t0 = Date.now();

const kafka = new Kafka({
  clientId: 'tally-kafka-smoke',
  brokers: [`127.0.0.1:${port}`],
  logLevel: logLevel.WARN,
});
const admin = kafka.admin();
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
  idempotent: true,
  maxInFlightRequests: 1,
});
const consumer = kafka.consumer({ groupId: `tally-smoke-${runId}`, allowAutoTopicCreation: false });

const fail = (msg) => {
  throw new Error(`SMOKE FAILED: ${msg}`);
};

async function main() {
  await admin.connect();
  // Check first: kafkajs logs TOPIC_ALREADY_EXISTS at ERROR level on a rerun.
  const exists = (await admin.listTopics()).includes(topic);
  const created =
    !exists &&
    (await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    }));
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const got = meta.topics[0].partitions.length;
  if (got !== partitions) fail(`topic ${topic} has ${got} partitions, expected ${partitions}`);
  console.log(`topic ${topic}: ${created ? 'created' : 'already existed'}, ${got} partitions`);

  // Subscribe from the latest offset *before* producing, so reruns against a topic that
  // already holds old messages only see this run's messages (filtered by run id anyway).
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });

  const received = new Map();
  const errors = [];
  const keysByPartition = new Map();
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  let assigned;
  const assignedP = new Promise((r) => (assigned = r));
  consumer.on(consumer.events.GROUP_JOIN, () => assigned());

  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const h = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]),
      );
      if (h['run-id'] !== runId) return;
      const key = message.key.toString();
      const prev = keysByPartition.get(key);
      if (prev !== undefined && prev !== partition)
        errors.push(`key ${key} seen on partitions ${prev} and ${partition}`);
      keysByPartition.set(key, partition);
      received.set(h.seq, { key, value: message.value.toString(), headers: h, partition });
      if (received.size === count) resolveDone();
    },
  });
  await assignedP;
  // fromBeginning:false resolves "latest" when the partition is first fetched; give the
  // fetch loop a moment so offsets are pinned before we produce.
  await new Promise((r) => setTimeout(r, 500));

  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({
    key: `counter-${i % 17}`,
    value: JSON.stringify({ seq: i, delta: 1 }),
    headers: { 'run-id': runId, seq: String(i), 'event-type': 'CounterIncremented' },
  }));
  await producer.send({ topic, messages });
  console.log(`produced ${count} messages (run ${runId})`);

  let timer;
  const timedOut = new Promise((_, rej) => {
    timer = setTimeout(
      () => rej(new Error(`SMOKE FAILED: timeout, received ${received.size}/${count}`)),
      30_000,
    );
  });
  await Promise.race([done, timedOut]);
  clearTimeout(timer);
  if (errors.length) fail(errors.join('; '));

  for (let i = 0; i < count; i++) {
    const m = received.get(String(i));
    if (!m) fail(`missing seq ${i}`);
    if (m.key !== `counter-${i % 17}`) fail(`seq ${i}: wrong key ${m.key}`);
    if (m.headers['event-type'] !== 'CounterIncremented')
      fail(`seq ${i}: missing header event-type`);
    if (JSON.parse(m.value).seq !== i) fail(`seq ${i}: wrong value ${m.value}`);
  }
  const usedPartitions = new Set([...received.values()].map((m) => m.partition)).size;
  console.log(
    `OK: consumed ${received.size}/${count} with headers, ${usedPartitions} partitions used, ` +
      `${keysByPartition.size} keys each on one partition, ${Date.now() - t0} ms`,
  );
}

let code = 0;
try {
  await main();
} catch (err) {
  console.error(err?.stack ?? err);
  code = 1;
} finally {
  await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  process.exit(code);
}
