import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  postgres: string;
  /** 1-minute load average when the run started: other work skews the numbers. */
  loadAverage: number;
}

export function machineInfo(postgresVersion: string): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    postgres: postgresVersion,
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

export type Align = 'left' | 'right';

export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string {
  const widths = header.map((title, i) =>
    Math.max(3, title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const cell = (text: string, i: number): string =>
    align[i] === 'right' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, i) => cell(text, i)).join(' | ')} |`;
  const rule = widths.map((w, i) =>
    align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w),
  );
  return [line(header), `|${rule.map((r) => ` ${r} `).join('|')}|`, ...rows.map(line)].join('\n');
}

export function formatNumber(value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** The repository root: the nearest folder above this file whose package.json is Tally's. */
export async function repoRoot(from: string = __dirname): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (manifest !== undefined && (JSON.parse(manifest) as { name?: unknown }).name === 'tally') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no Tally package.json above ${from}`);
  }
}

/** Writes `bench/results/<name>.json` and returns its path. */
export async function writeResults(name: string, data: unknown): Promise<string> {
  const path = join(await repoRoot(), 'bench', 'results', `${name}.json`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}
