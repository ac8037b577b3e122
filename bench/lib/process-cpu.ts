import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | undefined;

/** The kernel's clock ticks per second, the unit of /proc's CPU times. */
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/**
 * CPU time (user + system, µs) a process has used, all its threads, or one thread when
 * `thread` is given (the main thread's id is the pid); null off Linux or once it exited.
 */
export function cpuUs(pid: number, thread?: number): number | null {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // Fields 14 and 15 of stat(5), counted after the command name's closing parenthesis.
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks();
  } catch {
    return null;
  }
}

export const minus = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : a - b;
