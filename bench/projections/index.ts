import { loadavg } from 'node:os';
import { allProjections } from '@tally/read-models';
import { pollCountsProjection } from '@tally/read-models/poll-counts';
import { formatNumber, writeResults } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import { VOTES_PER_BALLOT, runFold } from './fold';
import { LAG_POOL_SIZE, POLLS, VOTERS, runLag } from './lag';
import type { FoldResult, LagResult } from './report';
import { foldTable, lagTable, withFoldRatios } from './report';
import { ms3, setupSchema } from './setup';

const FOLD = 'projections/fold';
const LAG = 'projections/lag';
const BATCH_SIZES = [1, 100, 1_000] as const;
const RATES = [500, 1_500] as const;

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);
const counter = (index: number, total: number): string =>
  `[${String(index + 1).padStart(String(total).length)}/${total}]`;

function reportProblems(context: BenchContext, label: string, problems: string[]): boolean {
  const shown = problems.slice(0, 5).join('; ');
  if (problems.length > 0) context.progress.line(`NOT EXACT ${label}: ${shown}`);
  return problems.length === 0;
}

async function foldCells(context: BenchContext, allVotes: number): Promise<FoldResult[]> {
  const results: FoldResult[] = [];
  for (const [index, batchSize] of BATCH_SIZES.entries()) {
    // One commit per event is slow by design: a quick run folds fewer of them.
    const votes = context.options.quick && batchSize === 1 ? allVotes / 4 : allVotes;
    const label = `${counter(index, BATCH_SIZES.length)} ${FOLD} batch=${batchSize}`;
    const url = await context.databases.create(`proj_fold_${batchSize}`);
    await setupSchema(url, [pollCountsProjection]);
    context.progress.line(`${label}: appending ${formatNumber(votes)} votes`);
    const run = await runFold(url, votes, batchSize, (f) => context.progress.update(label, f));
    const opsPerSec = run.events / run.seconds;
    results.push({
      name: FOLD,
      system: 'poll-counts',
      batchSize,
      events: run.events,
      seconds: Number(run.seconds.toFixed(3)),
      batches: run.batches,
      opsPerSec: Math.round(opsPerSec),
      p50Ms: ms3(run.batchP50Ms),
      p99Ms: ms3(run.batchP99Ms),
      lagP50Ms: null,
      lagP99Ms: null,
      vsBatch1: null,
      exact: reportProblems(context, label, run.problems),
    });
    context.progress.line(
      `${label.padEnd(36)} ${formatNumber(opsPerSec).padStart(7)} events/s  ${run.batches} batches  p50 ${formatNumber(run.batchP50Ms, 2)} ms  p99 ${formatNumber(run.batchP99Ms, 2)} ms  load ${load1()}`,
    );
  }
  return withFoldRatios(results);
}

async function lagCells(context: BenchContext): Promise<LagResult[]> {
  const results: LagResult[] = [];
  for (const [index, rate] of RATES.entries()) {
    const label = `${counter(index, RATES.length)} ${LAG} ${rate}/s`;
    const url = await context.databases.create(`proj_lag_${rate}`);
    await setupSchema(url, allProjections);
    const log = (line: string): void => context.progress.line(line);
    const run = await runLag(
      url,
      rate,
      context.timing,
      (f) => context.progress.update(label, f),
      log,
    );
    results.push({
      name: LAG,
      system: 'all-projections',
      targetPerSec: rate,
      offeredPerSec: Math.round(run.offered),
      opsPerSec: Math.round(run.achieved),
      p50Ms: ms3(run.cmdP50Ms),
      p99Ms: ms3(run.cmdP99Ms),
      lagP50Ms: ms3(run.lagP50Ms),
      lagP99Ms: ms3(run.lagP99Ms),
      lagMaxMs: ms3(run.lagMaxMs),
      lagSamples: run.lagSamples,
      accepted: run.accepted,
      exact: reportProblems(context, label, run.problems),
    });
    context.progress.line(
      `${label.padEnd(36)} ${formatNumber(run.achieved).padStart(7)} cmd/s  cmd p99 ${formatNumber(run.cmdP99Ms, 2)} ms  lag p50 ${formatNumber(run.lagP50Ms, 1)} ms  p99 ${formatNumber(run.lagP99Ms, 1)} ms  load ${load1()}`,
    );
  }
  return results;
}

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  const { progress, server, timing, machine, options } = context;
  const votes = options.quick ? 4_000 : 20_000;
  const fold = context.selects(FOLD) ? await foldCells(context, votes) : [];
  const lag = context.selects(LAG) ? await lagCells(context) : [];
  const env = `PostgreSQL ${server.version}, ${machine.cpus} CPUs, Node ${machine.node}; load average ${machine.loadAverage} at start, ${load1()} at end.`;

  if (fold.length > 0) {
    console.log(`\n## ${FOLD}: events folded per second by the poll-counts projection\n`);
    console.log(
      `${formatNumber(votes)} Voted events (${VOTES_PER_BALLOT} per ballot stream, one append each, one poll of 4 options) plus a PollOpened, ` +
        'appended and vacuumed in a fresh database per cell; then a Projector with only poll-counts runs from checkpoint 0 until ' +
        `onCommitted reports the last appended position. batch p50/p99: time between committed batches. ${env} ` +
        'exact: projected totals and option counts equal the votes appended.\n',
    );
    console.log(foldTable(fold));
  }
  if (lag.length > 0) {
    console.log(`\n## ${LAG}: projection lag under a steady cast-vote load\n`);
    console.log(
      `CommandPipeline with the real castVote spec (the poll as a remembered context, proven by the append's condition), ${POLLS} polls, ${formatNumber(VOTERS)} voters, ` +
        'each vote another option than the voter last chose (every command appends); open-loop offered rate; ' +
        `a Projector for all ${allProjections.length} projections (batch 1,000) in the same process on the same pool of ${LAG_POOL_SIZE}. ` +
        `${timing.durationMs / 1000} s measured after ${timing.warmupMs / 1000} s warm-up, fresh database per cell. ` +
        'lag: execute resolved → poll-counts onCommitted at or past the reply position. ' +
        `exact: projected counts equal the accepted votes and the log's Voted events. ${env}\n`,
    );
    console.log(lagTable(lag));
  }
  console.log('');

  const path = await writeResults('projections', {
    scenarios: [...fold, ...lag],
    machine,
    settings: {
      votes,
      votesPerBallot: VOTES_PER_BALLOT,
      batchSizes: BATCH_SIZES,
      rates: RATES,
      polls: POLLS,
      voters: VOTERS,
      lagPoolSize: LAG_POOL_SIZE,
      warmupMs: timing.warmupMs,
      durationMs: timing.durationMs,
      loadAverageAtEnd: Number(load1()),
    },
    generatedAt: new Date().toISOString(),
  });
  progress.line(`wrote ${path}`);
  return [
    ...fold.map((r) => ({
      name: `projections/fold/batch${r.batchSize}`,
      system: r.system,
      opsPerSec: r.opsPerSec,
      lost: r.exact ? 0 : null,
      oversold: null,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      lagP99Ms: null,
      detail: { events: r.events, batches: r.batches, exact: r.exact },
    })),
    ...lag.map((r) => ({
      name: `projections/lag/${r.targetPerSec}per-s`,
      system: r.system,
      opsPerSec: r.opsPerSec,
      lost: r.exact ? 0 : null,
      oversold: null,
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      lagP99Ms: r.lagP99Ms,
      detail: { offeredPerSec: r.offeredPerSec, lagP50Ms: r.lagP50Ms, exact: r.exact },
    })),
  ];
}

export const projectionsBenchmark: BenchModule = {
  name: 'projections',
  description:
    'projector throughput by batch size (poll-counts fold) and projection lag under a steady command load',
  scenarios: [FOLD, LAG],
  run,
};
