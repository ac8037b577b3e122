/**
 * A repeatable CPU profile of the API process under the hot-counter vote load:
 * `npm run bench:profile -- [--seconds 10] [--rate 0] [--warmup 3] [--top 15] [--keep]`.
 * The API runs with `node --cpu-prof` into a temp dir; SIGTERM makes it drain and call
 * process.exit (apps/api/src/main.ts via onShutdownSignal), which writes the profile. Only
 * the samples of the measured window count (both processes read the same monotonic clock).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchDatabases, resolveAdminServer } from '../lib/postgres';
import { cpuUs, minus } from '../lib/process-cpu';
import { formatNumber } from '../lib/report';
import { OPTION_TEXTS } from '../projections/setup';
import { POOL_SIZE } from './cell';
import type { CpuProfile } from './cpu-profile';
import { selfTimes } from './cpu-profile';
import { CONNECTIONS, fire, hotCounter, noAnswers } from './load';
import { categoryTable, runSummary, topFrames } from './profile-report';
import { call, startApi } from './server';

interface ProfileArgs {
  seconds: number;
  /** Requests per second over all connections; 0: as fast as the API answers. */
  rate: number;
  warmup: number;
  top: number;
  keep: boolean;
}

const USAGE = `Usage: node dist/bench/http/profile.js [--seconds N] [--rate R] [--warmup N] [--top N] [--keep]
  --seconds N  measured window (default 10)
  --rate R     requests/s over ${CONNECTIONS} connections; 0 = as fast as answered (default 0)
  --warmup N   seconds of the same load before the window (default 3)
  --top N      heaviest functions to list (default 15)
  --keep       keep the .cpuprofile (its path is printed) for DevTools`;

function parseArgs(argv: readonly string[]): ProfileArgs {
  const args: ProfileArgs = { seconds: 10, rate: 0, warmup: 3, top: 15, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--keep') args.keep = true;
    else if (['--seconds', '--rate', '--warmup', '--top'].includes(flag)) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number\n${USAGE}`);
      args[flag.slice(2) as 'seconds' | 'rate' | 'warmup' | 'top'] = value;
    } else throw new Error(`unknown argument '${flag}'\n${USAGE}`);
  }
  return args;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const admin = await resolveAdminServer(log);
  const databases = new BenchDatabases(admin.adminUrl);
  const dir = await mkdtemp(join(tmpdir(), 'tally-cpu-prof-'));
  try {
    const url = await databases.create('profile');
    const server = await startApi(url, POOL_SIZE, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const cpu = () => ({
      at: nowUs(),
      main: cpuUs(server.pid, server.pid),
      all: cpuUs(server.pid),
    });
    const answers = noAnswers();
    const options = { rate: args.rate };
    let window: { from: ReturnType<typeof cpu>; to: ReturnType<typeof cpu>; requests: number };
    try {
      const poll = { pollId: 'hot-poll', title: 'hot-poll', options: OPTION_TEXTS };
      await call(server, 'POST', '/polls', poll, 201);
      const workload = hotCounter();
      log(`warm-up ${args.warmup} s, then ${args.seconds} s profiled (rate ${args.rate || 'max'})`);
      if (args.warmup > 0)
        await fire(server.baseUrl, workload, args.warmup, answers, () => undefined, options);
      const warm = answers.accepted;
      const from = cpu();
      await fire(server.baseUrl, workload, args.seconds, answers, () => undefined, options);
      const to = cpu();
      window = { from, to, requests: answers.accepted - warm };
    } finally {
      const code = await server.stop();
      if (code !== 0) log(`the API exited with ${code}`);
    }
    if (answers.refused > 0) log(`${answers.refused} refused; first: ${answers.firstRefusal}`);
    const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`the API wrote no .cpuprofile into ${dir}`);
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const { from, to } = window;
    if (from.at < profile.startTime || to.at > profile.endTime)
      log('WARNING: the window is not inside the profile: clocks differ?');
    const times = selfTimes(profile, from.at, to.at);
    const run = {
      requests: window.requests,
      windowUs: to.at - from.at,
      mainThreadCpuUs: minus(to.main, from.main),
      processCpuUs: minus(to.all, from.all),
    };
    console.log(`\n## API process profile: hot-counter votes, ${CONNECTIONS} connections\n`);
    console.log(`${runSummary(run)}; node --cpu-prof samples every ~1 ms.\n`);
    console.log(categoryTable(times, run));
    console.log(
      "\nµs CPU / request: the category's share of the busy samples × the main thread's CPU per request " +
        '(/proc). Sampled ms count wall time: a busy thread the OS preempted still counts as busy.',
    );
    console.log(`\nHeaviest ${formatNumber(args.top)} functions by self time:\n`);
    console.log(topFrames(times, args.top));
    if (args.keep) log(`kept ${join(dir, file)}`);
  } finally {
    await databases.dropAll();
    await admin.close();
    if (!args.keep) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
