import type { CommandObserver } from '@tally/commands';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { PartitionLag } from './consumer-group-lag';
import { HttpMetrics } from './http-metrics';
import { ProcessMetrics } from './process-metrics';
import type { ProjectionStatus } from './projection-status';
import type { RelayLag } from './relay-lag';

/** Read at scrape time, so every process reports what the database and broker say now. */
export interface MetricSources {
  projections(): Promise<ProjectionStatus[]>;
  relays(): Promise<RelayLag[]>;
  /** Empty when Kafka is off; rejects when the broker does not answer. */
  consumerGroups(): Promise<PartitionLag[]>;
}

/** `poll-42` → `poll`: the label stays low-cardinality whatever the ids. */
const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
};

/**
 * The API's metrics: every one DESIGN.md names and HTTP requests (the live hub adds its own), on
 * top of what every process reports (ProcessMetrics: Node, the pool, the projector, Kafka).
 */
export class TallyMetrics extends ProcessMetrics implements CommandObserver {
  readonly http: HttpMetrics;
  private readonly appendedTotal: Counter<'type'>;
  private readonly conflicts: Counter<'stream_category'>;
  private readonly commands: Histogram<'command' | 'outcome'>;

  constructor(sources: MetricSources, pool?: Pool) {
    super(pool);
    const registers = [this.registry];
    this.http = new HttpMetrics(registers);
    this.appendedTotal = new Counter({
      name: 'tally_events_appended_total',
      help: 'Events appended by this process, by event type.',
      labelNames: ['type'],
      registers,
    });
    this.conflicts = new Counter({
      name: 'tally_append_conflicts_total',
      help: 'Appends that lost an expected-revision race (then retried), by stream category.',
      labelNames: ['stream_category'],
      registers,
    });
    this.commands = new Histogram({
      name: 'tally_command_duration_seconds',
      help: 'Time from command received to answer, by command and outcome.',
      labelNames: ['command', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    registerProjectionGauges(sources, registers);
    new Gauge({
      name: 'tally_relay_lag_events',
      help: 'Events in the log not yet acknowledged by the broker to the relay.',
      labelNames: ['relay'],
      registers,
      async collect() {
        this.reset();
        for (const relay of await sources.relays())
          this.set({ relay: relay.name }, relay.lagEvents);
      },
    });
    new Gauge({
      name: 'tally_kafka_consumergroup_lag',
      help: 'Log end offset minus the offset stored with the read tables, per partition.',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      async collect() {
        this.reset();
        const lags = await sources.consumerGroups().catch(() => []);
        for (const p of lags)
          this.set({ group: p.group, topic: p.topic, partition: String(p.partition) }, p.lag);
      },
    });
  }

  conflict(streamId: string): void {
    this.conflicts.inc({ stream_category: streamCategory(streamId) });
  }

  completed(name: string, outcome: string, seconds: number): void {
    this.commands.observe({ command: name, outcome }, seconds);
  }

  appended(types: readonly string[]): void {
    const counts = new Map<string, number>();
    for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
    for (const [type, n] of counts) this.appendedTotal.inc({ type }, n);
  }
}

/** The projection gauges and the parked counter share one status read per scrape. */
function registerProjectionGauges(sources: MetricSources, registers: Registry[]): void {
  let pending: Promise<ProjectionStatus[]> | undefined;
  const read = (): Promise<ProjectionStatus[]> => {
    pending ??= sources.projections().finally(() => {
      setImmediate(() => (pending = undefined));
    });
    return pending;
  };
  const gauge = (name: string, help: string, value: (p: ProjectionStatus) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['projection'],
      registers,
      async collect() {
        this.reset();
        for (const p of await read()) this.set({ projection: p.name }, value(p));
      },
    });
  };
  gauge(
    'tally_projection_position',
    'Global position of the last event the projection committed.',
    (p) => Number(p.position),
  );
  gauge(
    'tally_projection_lag_events',
    'Events in the log the projection has not folded yet.',
    (p) => p.lagEvents,
  );
  gauge(
    'tally_projection_parked_events',
    'Events parked by the projection (not folded) and not yet retried or discarded.',
    (p) => p.parkedEvents,
  );
  // A counter kept in the database (tally_parked_totals), so every process reports the same.
  new Counter({
    name: 'tally_projection_parked_events_total',
    help: 'Events the projection parked instead of folding (malformed, or its fold threw).',
    labelNames: ['projection'],
    registers,
    async collect() {
      this.reset();
      for (const p of await read()) this.inc({ projection: p.name }, p.parkedEventsTotal);
    },
  });
  gauge(
    'tally_projection_lag_seconds',
    'Age of the oldest event the projection has not folded yet.',
    (p) => p.lagSeconds,
  );
}
