import type { Align } from '../lib/report';
import { formatNumber, markdownTable } from '../lib/report';
import type { Category, Frame, SelfTime } from './cpu-profile';
import { CATEGORIES, categorise } from './cpu-profile';

export interface ProfileRun {
  requests: number;
  /** The measured window, µs. */
  windowUs: number;
  /** CPU of the API's main thread and of the whole process in the window (/proc), µs. */
  mainThreadCpuUs: number | null;
  processCpuUs: number | null;
}

const pct = (part: number, whole: number): string =>
  whole > 0 ? `${formatNumber((100 * part) / whole, 1)} %` : '–';

const busyCategory = (name: Category): boolean =>
  CATEGORIES.find((c) => c.name === name)?.idle === false;

/**
 * Self time per category: share of the main thread's busy samples (all but (idle) and
 * (program)), and that share of the main thread's CPU per request. The profiler samples on a
 * wall clock, so a busy thread the OS preempted (two cores shared with PostgreSQL and the load
 * generator) still counts as busy: sampled ms exceed CPU ms, and shares are what carry over.
 */
export function categoryTable(times: readonly SelfTime[], run: ProfileRun): string {
  const byCategory = new Map<Category, number>();
  for (const { frame, us } of times) {
    const category = categorise(frame);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
  }
  const busy = [...byCategory].reduce((sum, [name, us]) => sum + (busyCategory(name) ? us : 0), 0);
  // Without /proc, the sampled time stands in for CPU.
  const scale = run.mainThreadCpuUs !== null && busy > 0 ? run.mainThreadCpuUs / busy : 1;
  const perRequest = (us: number): string =>
    run.requests > 0 ? formatNumber((us * scale) / run.requests, 1) : '–';
  const rows = CATEGORIES.map(({ name, idle }) => {
    const us = byCategory.get(name) ?? 0;
    return [name, formatNumber(us / 1000), idle ? '–' : pct(us, busy), idle ? '–' : perRequest(us)];
  });
  rows.push([
    'busy (all but (program) and (idle))',
    formatNumber(busy / 1000),
    '100 %',
    perRequest(busy),
  ]);
  const align: readonly Align[] = ['left', 'right', 'right', 'right'];
  return markdownTable(
    ['category (self time)', 'sampled ms', '% of busy', 'µs CPU / request'],
    rows,
    align,
  );
}

const where = (frame: Frame): string => {
  const file = frame.url.replace(/^.*\/(node_modules|dist)\//, '');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
};

/** The heaviest functions by self time (busy ones only), each with its heaviest caller. */
export function topFrames(times: readonly SelfTime[], count: number): string {
  const busy = times.filter(({ frame }) => busyCategory(categorise(frame)));
  const total = busy.reduce((sum, { us }) => sum + us, 0);
  const merged = new Map<string, { us: number; callers: Map<string, number> }>();
  for (const { frame, caller, us } of busy) {
    const key = where(frame);
    const entry = merged.get(key) ?? { us: 0, callers: new Map<string, number>() };
    entry.us += us;
    const by = caller ? where(caller) : '–';
    entry.callers.set(by, (entry.callers.get(by) ?? 0) + us);
    merged.set(key, entry);
  }
  const rows = [...merged]
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, count)
    .map(([key, { us, callers }]) => {
      const [caller = '–'] = [...callers].sort((a, b) => b[1] - a[1]).map(([name]) => name);
      return [key, caller, formatNumber(us / 1000), pct(us, total)];
    });
  return markdownTable(
    ['function (file:line)', 'mostly called by', 'sampled ms', '% of busy'],
    rows,
    ['left', 'left', 'right', 'right'],
  );
}

/** The run's totals: requests/s, and CPU per request as /proc counts it. */
export function runSummary(run: ProfileRun): string {
  const seconds = run.windowUs / 1e6;
  const cpu = (us: number | null, what: string): string =>
    us === null
      ? ''
      : `; ${what} ${formatNumber(us / Math.max(1, run.requests), 1)} µs CPU/request (${formatNumber(us / run.windowUs, 2)} cores)`;
  return (
    `${formatNumber(run.requests)} requests in ${formatNumber(seconds, 1)} s: ${formatNumber(run.requests / seconds)} requests/s` +
    cpu(run.mainThreadCpuUs, 'main thread') +
    cpu(run.processCpuUs, 'whole process (all threads)')
  );
}
