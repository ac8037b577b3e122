import { loadavg } from 'node:os';
import { allProjections } from '@tally/read-models';
import { formatNumber, writeResults } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import { ms3, setupSchema } from '../projections/setup';
import { benchBroker } from './broker';
import { PARTITIONS, POOL_SIZE, runCell } from './cell';
import { MAX_RATE_CLIENTS, POLLS, VOTERS, type Load } from './load';
import { kafkaTable, type KafkaResult } from './report';

const FIXED = 'kafka/fixed-rate';
const MAX = 'kafka/max-rate';
const FIXED_RATE = 300;
const PROJECTORS = [1, 2] as const;
/** Lag is timed for every command at the fixed rate and for every 4th at max rate. */
const SAMPLE_EVERY = { fixed: 1, max: 4 } as const;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

interface Cell {
  name: typeof FIXED | typeof MAX;
  load: Load;
  projectors: number;
}

async function run(context: BenchContext): Promise<void> {
  const { progress, server, timing, machine } = context;
  const cells: Cell[] = [
    ...PROJECTORS.map((projectors): Cell => ({
      name: FIXED,
      load: { kind: 'fixed', rate: FIXED_RATE },
      projectors,
    })),
    ...PROJECTORS.map((projectors): Cell => ({ name: MAX, load: { kind: 'max' }, projectors })),
  ]
    .filter((cell) => context.selects(cell.name))
    // --quick keeps to its 2 minutes: one cell (max load, one projector); the full run has all four.
    .filter((cell) => !context.options.quick || (cell.name === MAX && cell.projectors === 1));
  if (cells.length === 0) return;
  const broker = await benchBroker((line) => progress.line(line));
  const results: KafkaResult[] = [];
  try {
    for (const [index, cell] of cells.entries()) {
      const rate = cell.load.kind === 'fixed' ? `${cell.load.rate}/s` : 'max';
      const label = `[${index + 1}/${cells.length}] kafka ${rate}, ${cell.projectors} projector${cell.projectors > 1 ? 's' : ''}`;
      const url = await context.databases.create(`kafka_${cell.load.kind}_${cell.projectors}`);
      await setupSchema(url, allProjections);
      const result = await runCell(
        url,
        broker.brokers,
        cell.load,
        cell.projectors,
        timing,
        SAMPLE_EVERY[cell.load.kind],
        (f) => progress.update(label, f),
        (line) => progress.line(line),
      );
      if (result.problems.length > 0)
        progress.line(`NOT EXACT ${label}: ${result.problems.slice(0, 5).join('; ')}`);
      results.push({
        name: `${cell.name}/${cell.projectors}-projector${cell.projectors > 1 ? 's' : ''}`,
        system: 'relay+kafka+projector-processes',
        projectors: cell.projectors,
        targetPerSec: cell.load.kind === 'fixed' ? cell.load.rate : null,
        opsPerSec: Math.round(result.acceptedPerSec),
        appliedPerSec: Math.round(result.appliedPerSec),
        p50Ms: null,
        p99Ms: null,
        lagP50Ms: ms3(result.lagP50Ms),
        lagP99Ms: ms3(result.lagP99Ms),
        lagMaxMs: ms3(result.lagMaxMs),
        lagSamples: result.lagSamples,
        backlog: result.backlog,
        drainPerSec: result.drainPerSec === null ? null : Math.round(result.drainPerSec),
        accepted: result.accepted,
        lost: result.lost,
        exact: result.problems.length === 0,
      });
      progress.line(
        `${label.padEnd(36)} ${formatNumber(result.acceptedPerSec).padStart(6)} cmd/s  ${formatNumber(result.appliedPerSec).padStart(6)} events/s applied  lag p50 ${formatNumber(result.lagP50Ms, 1)} ms  p99 ${formatNumber(result.lagP99Ms, 1)} ms  load ${load1()}`,
      );
    }
  } finally {
    await broker.stop();
  }

  console.log(`\n## kafka: commands → relay → Kafka → projector processes → read tables\n`);
  console.log(
    `CommandPipeline with the real castVote spec in the bench process (pool of ${POOL_SIZE}), ${POLLS} polls, ${formatNumber(VOTERS)} voters, ` +
      'each vote another option than the voter last chose (one Voted event per accepted command); ' +
      `fixed: ${FIXED_RATE} commands/s offered open-loop; max: ${MAX_RATE_CLIENTS} closed loops. ` +
      `The relay process (apps/relay) publishes to a topic of ${PARTITIONS} partitions; 1 or 2 projector processes (apps/projector, Kafka mode, one consumer group) fold all ${allProjections.length} projections. ` +
      `${timing.durationMs / 1000} s measured after ${timing.warmupMs / 1000} s warm-up, fresh database and topic per cell, broker via ${broker.source}. ` +
      "lag: execute resolved → the ballot stream's applied revision (committed with the read tables) seen by a 10 ms poll; " +
      `timed for every command at the fixed rate, every ${SAMPLE_EVERY.max}th at max. events/s into read tables: events the group applied (each stream's applied revision + 1, summed) between the window's edges. ` +
      'drain: the backlog left when the load stopped, applied per second. ' +
      `exact: projected counts equal the accepted votes and the log's Voted events, and every event was applied. ` +
      `PostgreSQL ${server.version}, ${machine.cpus} CPUs, Node ${machine.node}; load average ${machine.loadAverage} at start, ${load1()} at end.\n`,
  );
  console.log(kafkaTable(results));
  console.log('');
  const path = await writeResults('kafka', {
    scenarios: results,
    machine,
    settings: {
      fixedRate: FIXED_RATE,
      maxRateClients: MAX_RATE_CLIENTS,
      polls: POLLS,
      voters: VOTERS,
      partitions: PARTITIONS,
      poolSize: POOL_SIZE,
      sampleEvery: SAMPLE_EVERY,
      broker: broker.source,
      warmupMs: timing.warmupMs,
      durationMs: timing.durationMs,
      loadAverageAtEnd: Number(load1()),
    },
    generatedAt: new Date().toISOString(),
  });
  progress.line(`wrote ${path}`);
}

export const kafkaBenchmark: BenchModule = {
  name: 'kafka',
  description:
    'end to end through Kafka: commands → relay → topic → 1 or 2 projector processes → read tables; throughput and lag',
  scenarios: [FIXED, MAX],
  run,
};
