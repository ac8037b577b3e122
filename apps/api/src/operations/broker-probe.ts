import { Kafka, logLevel, type Admin } from 'kafkajs';
import { readConsumerGroupLag, withTimeout, type PartitionLag } from '@tally/ops';
import type { Pool } from 'pg';

const ANSWER_WITHIN_MS = 2000;

/**
 * The API's one admin connection to the broker, when Kafka is configured: readiness and
 * consumer lag. Fails fast (no kafkajs retries) so a probe or a scrape never hangs.
 */
export class BrokerProbe {
  private admin: Admin | undefined;
  private connecting: Promise<Admin> | undefined;

  constructor(
    private readonly brokers: readonly string[],
    private readonly topic: string,
    private readonly groups: readonly string[],
  ) {}

  get configured(): boolean {
    return this.brokers.length > 0;
  }

  /** True when the broker answers a metadata request in time. */
  async up(): Promise<boolean> {
    if (!this.configured) return true;
    try {
      await withTimeout(
        this.connect().then((admin) => admin.describeCluster()),
        ANSWER_WITHIN_MS,
        'broker',
      );
      return true;
    } catch {
      await this.reset();
      return false;
    }
  }

  async consumerGroupLag(pool: Pool): Promise<PartitionLag[]> {
    if (!this.configured) return [];
    try {
      const admin = await withTimeout(this.connect(), ANSWER_WITHIN_MS, 'broker');
      return await withTimeout(
        readConsumerGroupLag(pool, admin, this.topic, this.groups),
        ANSWER_WITHIN_MS,
        'broker',
      );
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private connect(): Promise<Admin> {
    if (this.admin) return Promise.resolve(this.admin);
    this.connecting ??= (async () => {
      const admin = new Kafka({
        clientId: 'tally-api',
        brokers: [...this.brokers],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1000,
        requestTimeout: ANSWER_WITHIN_MS,
        retry: { retries: 0 },
      }).admin();
      try {
        await admin.connect();
        this.admin = admin;
        return admin;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
