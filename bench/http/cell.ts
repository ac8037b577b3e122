import { loadavg } from 'node:os';
import { formatNumber } from '../lib/report';
import type { BenchContext } from '../lib/scenario';
import type { Detail, ScenarioResult } from '../lib/summary';
import { ms } from '../lib/summary';
import type { Answers, Workload } from './load';
import { CONNECTIONS, fire, noAnswers } from './load';

export const POOL_SIZE = 64;

/** What a system's own check found once the load stopped. */
export interface HttpCheck {
  /** Acknowledged votes missing from the final counts. */
  lost: number;
  problems: string[];
  detail: Detail;
}

/** One server under test, started on a fresh database prepared for a workload's polls. */
export interface HttpTarget {
  baseUrl: string;
  /** The body of every 200 answer. */
  accept(body: string): void;
  /** After the last request: waits for or stops the server as needed, then checks. */
  check(answers: Answers): Promise<HttpCheck>;
  /** Stops the server (again: a no-op). */
  stop(): Promise<void>;
}

export interface HttpSystem {
  name: 'tally-http' | 'naive-http';
  description: string;
  start(url: string, workload: Workload): Promise<HttpTarget>;
}

const load1 = (): string => (loadavg()[0] ?? 0).toFixed(2);

/** A warm-up run, then the measured one, against `system` in a fresh database. */
export async function runCell(
  context: BenchContext,
  system: HttpSystem,
  workload: Workload,
  label: string,
): Promise<ScenarioResult> {
  const { timing } = context;
  const url = await context.databases.create(
    `http_${workload.name}_${system.name}`.replace(/\W/g, '_'),
  );
  const target = await system.start(url, workload);
  try {
    const answers = noAnswers();
    const accept = (body: string): void => target.accept(body);
    context.progress.update(label, 0);
    await fire(target.baseUrl, workload, Math.max(1, timing.warmupMs / 1000), answers, accept);
    const warm = answers.accepted;
    context.progress.update(label, 0.3);
    const result = await fire(target.baseUrl, workload, timing.durationMs / 1000, answers, accept);
    const { lost, problems, detail } = await target.check(answers);
    if (answers.refused > 0 || result.errors > 0) {
      problems.push(
        `${answers.refused} refused (first: ${answers.firstRefusal ?? '–'}), ${result.errors} errors, ${result.timeouts} timeouts`,
      );
    }
    if (problems.length > 0)
      context.progress.line(`NOT EXACT ${label}: ${problems.slice(0, 5).join('; ')}`);
    const perSec = (answers.accepted - warm) / result.duration;
    context.progress.line(
      `${label.padEnd(44)} ${formatNumber(perSec).padStart(7)} votes/s  p50 ${formatNumber(result.latency.p50, 2)} ms  p99 ${formatNumber(result.latency.p99, 2)} ms  lost ${lost}  load ${load1()}`,
    );
    return {
      name: `http/${workload.name}`,
      system: system.name,
      opsPerSec: Math.round(perSec),
      lost,
      oversold: null,
      p50Ms: ms(result.latency.p50),
      p99Ms: ms(result.latency.p99),
      lagP99Ms: null,
      detail: {
        connections: CONNECTIONS,
        requests: answers.accepted - warm,
        seconds: result.duration,
        non2xx: result.non2xx,
        errors: result.errors,
        exact: problems.length === 0,
        ...detail,
      },
    };
  } finally {
    await target.stop();
  }
}
