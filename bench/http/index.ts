import { loadavg } from 'node:os';
import { writeResults } from '../lib/report';
import type { BenchContext, BenchModule } from '../lib/scenario';
import type { ScenarioResult } from '../lib/summary';
import type { HttpSystem } from './cell';
import { POOL_SIZE, runCell } from './cell';
import { CONNECTIONS, hotCounter, spreadVotes } from './load';
import type { Workload } from './load';
import { naiveHttp } from './naive-cell';
import { httpTable, withRatios } from './report';
import { tallyHttp } from './tally-cell';

const NAME = 'http';
const WORKLOADS: readonly (() => Workload)[] = [hotCounter, spreadVotes];
const SYSTEMS: readonly HttpSystem[] = [tallyHttp, naiveHttp];

const scenario = (workload: string, system: HttpSystem): string =>
  `${NAME}/${workload}/${system.name}`;

async function run(context: BenchContext): Promise<ScenarioResult[]> {
  // Each workload's systems run back to back, so their ratio is taken under the same noise.
  const cells = WORKLOADS.flatMap((make) =>
    SYSTEMS.map((system) => ({ make, system })).filter(({ make, system }) =>
      context.selects(scenario(make().name, system)),
    ),
  );
  const measured: ScenarioResult[] = [];
  for (const [index, { make, system }] of cells.entries()) {
    const workload = make();
    const label = `[${index + 1}/${cells.length}] ${NAME} ${workload.name} ${system.name}`;
    measured.push(await runCell(context, system, workload, label));
  }
  const results = withRatios(measured);
  console.log(`\n## ${NAME}: cast-vote through an HTTP server, ${CONNECTIONS} connections\n`);
  console.log(
    `autocannon 8 in the bench process, ${CONNECTIONS} connections, no pipelining, against each server in its own process with a pool of ${POOL_SIZE}; ` +
      `${context.timing.durationMs / 1000} s after a warm-up run, fresh database per cell. ` +
      'hot-counter: every request a new voter for option o1 of one poll; spread-votes: a random one of 10,000 voters on 100 polls and a random option. ' +
      'exact: nothing acknowledged is missing and the counts agree with the ballots (Tally: with the log).\n',
  );
  console.log(httpTable(results));
  console.log('');
  for (const s of SYSTEMS) console.log(`- ${s.name}: ${s.description}`);
  const path = await writeResults(NAME, {
    scenarios: results,
    machine: context.machine,
    settings: {
      warmupMs: context.timing.warmupMs,
      durationMs: context.timing.durationMs,
      poolSize: POOL_SIZE,
      connections: CONNECTIONS,
      loadAverageAtEnd: Number((loadavg()[0] ?? 0).toFixed(2)),
    },
    generatedAt: new Date().toISOString(),
  });
  context.progress.line(`wrote ${path}`);
  return results;
}

export const httpBenchmark: BenchModule = {
  name: NAME,
  description: `cast-vote over HTTP under autocannon, ${CONNECTIONS} connections: the API, and a naive node:http + SQL server`,
  scenarios: WORKLOADS.flatMap((make) => SYSTEMS.map((s) => scenario(make().name, s))),
  run,
};
