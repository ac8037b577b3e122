import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from 'pg';

/** The Kafka clients whose errors are counted: the relay's producer, the projector's consumer. */
export type KafkaClientRole = 'relay' | 'projector';

/**
 * What every Tally process reports, on a registry of its own (never the global one, so tests
 * can start several apps in one process): Node's process metrics, the connection pool, the
 * events its projector folded and its Kafka clients' errors. The API's TallyMetrics adds
 * its own; the projector and relay processes serve these (see serveMetrics).
 */
export class ProcessMetrics {
  readonly registry = new Registry();
  private readonly projectionEvents: Counter<'projection'>;
  private readonly kafkaErrors: Counter<'client'>;

  constructor(pool?: Pool) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.projectionEvents = new Counter({
      name: 'tally_projection_events_total',
      help: 'Events the projector of this process folded into the read tables, by projection.',
      labelNames: ['projection'],
      registers,
    });
    this.kafkaErrors = new Counter({
      name: 'tally_kafka_errors_total',
      help: "Errors of this process's Kafka clients: relay = errors its producer reported (each failed connection or request, retried ones included) and sends that failed; projector = consumer crashes.",
      labelNames: ['client'],
      registers,
    });
    if (pool) registerPoolGauge(pool, registers);
  }

  /** Series at 0 for the projections this process folds, so rate() has a start. */
  folding(projections: readonly string[]): void {
    for (const projection of projections) this.projectionEvents.inc({ projection }, 0);
  }

  folded(projection: string, events: number): void {
    if (events > 0) this.projectionEvents.inc({ projection }, events);
  }

  /** Series at 0 for the Kafka client this process runs. */
  usingKafka(client: KafkaClientRole): void {
    this.kafkaErrors.inc({ client }, 0);
  }

  kafkaError(client: KafkaClientRole): void {
    this.kafkaErrors.inc({ client });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** pg's own counters, read at scrape time. */
function registerPoolGauge(pool: Pool, registers: Registry[]): void {
  new Gauge({
    name: 'tally_db_pool_connections',
    help: 'PostgreSQL pool connections: in_use (checked out), idle, waiting (requests queued for one).',
    labelNames: ['state'],
    registers,
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
