import { CONFIG, DATABASE, type Database, type TallyConfig } from '@tally/infra';
import { TallyMetrics } from '@tally/ops';
import { Counter, Gauge } from 'prom-client';
import { ProjectionPositions } from '../read-side/projection-positions';
import { LivePollHub } from './live-poll-hub';

const HEARTBEAT_MS = 15_000;

/** The API process's one hub of live poll streams, with its metrics. */
export const livePollHubProvider = {
  provide: LivePollHub,
  inject: [DATABASE, ProjectionPositions, CONFIG, TallyMetrics],
  useFactory: (
    database: Database,
    positions: ProjectionPositions,
    config: TallyConfig,
    metrics: TallyMetrics,
  ): LivePollHub => {
    const hub = new LivePollHub(database.pool, positions, {
      flushMs: config.sseFlushMs,
      maxBufferedBytes: config.sseMaxBufferKiB * 1024,
      heartbeatMs: HEARTBEAT_MS,
    });
    const registers = [metrics.registry];
    new Gauge({
      name: 'tally_sse_streams_open',
      help: 'Server-Sent Events streams (live polls) open in this process.',
      registers,
      collect() {
        this.set(hub.snapshot().open);
      },
    });
    const counter = (name: string, help: string, value: () => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(value());
        },
      });
    };
    counter(
      'tally_sse_streams_dropped_total',
      'Live streams cut off because their client did not read (unsent data over TALLY_SSE_MAX_BUFFER_KB).',
      () => hub.snapshot().dropped,
    );
    counter(
      'tally_sse_poll_reads_total',
      'Reads of followed polls by the live hub (batches of this process need none).',
      () => hub.snapshot().reads,
    );
    return hub;
  },
};
