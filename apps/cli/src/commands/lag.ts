import {
  readConsumerGroupLag,
  readProjectionStatus,
  readRelayLag,
  withTimeout,
  type PartitionLag,
} from '@tally/ops';
import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { withContext, type CliContext } from '../context';
import { printJson, printTable } from '../output';

async function consumerGroups(context: CliContext, pool: Pool): Promise<PartitionLag[] | null> {
  const { kafkaBrokers, kafkaTopic, projectorGroup } = context.config;
  if (kafkaBrokers.length === 0) return null;
  const admin = new Kafka({
    clientId: 'tally-cli',
    brokers: kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 1 },
  }).admin();
  try {
    await withTimeout(admin.connect(), 5000, `the broker at ${kafkaBrokers.join(',')}`);
    return await withTimeout(
      readConsumerGroupLag(pool, admin, kafkaTopic, [projectorGroup]),
      5000,
      'the broker',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Lag of every consumer of the log: projections, the relay, and the Kafka consumer group. */
export async function lag(options: { json?: boolean }): Promise<void> {
  await withContext(async (context) => {
    const { pool } = context.database;
    const projections = await readProjectionStatus(pool, context.store, context.projections);
    const relays = await readRelayLag(pool, context.store);
    const partitions = await consumerGroups(context, pool);
    if (options.json) {
      return printJson({
        projections: projections.map(
          ({ name, position, headPosition, lagEvents, lagSeconds, status }) => ({
            name,
            position,
            headPosition,
            lagEvents,
            lagSeconds,
            status,
          }),
        ),
        relays,
        consumerGroups: partitions,
      });
    }
    console.log('projections');
    printTable(
      projections.map((p) => ({
        name: p.name,
        checkpoint: p.position,
        'lag events': p.lagEvents,
        'lag seconds': p.lagSeconds,
        status: p.status,
      })),
      ['name', 'checkpoint', 'lag events', 'lag seconds', 'status'],
    );
    console.log('\nrelay');
    if (relays.length === 0) console.log('(no relay has run against this database)');
    else
      printTable(
        relays.map((r) => ({ ...r, 'lag events': r.lagEvents })),
        ['name', 'position', 'lag events'],
      );
    console.log('\nconsumer group');
    if (partitions === null) console.log('(KAFKA_BROKERS unset: Kafka mode is off)');
    else
      printTable(
        partitions.map((p) => ({
          group: p.group,
          topic: p.topic,
          partition: p.partition,
          'log end': p.logEndOffset,
          stored: p.storedOffset,
          lag: p.lag,
        })),
        ['group', 'topic', 'partition', 'log end', 'stored', 'lag'],
      );
  });
}
