import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';

const TOO_MANY_CONNECTIONS = '53300';
const WAIT_MS = 2_000;
const MAX_WAITS = 90;

const code = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

/**
 * Opens `count` connections of `pool` before the clock starts, so a cell never measures
 * connection setup. On a shared server that is out of connections (53300) it waits and
 * tries again rather than failing mid-window.
 */
export async function warmPool(
  pool: Pool,
  count: number,
  log: (line: string) => void,
): Promise<void> {
  for (let wait = 0; ; wait++) {
    const clients: PoolClient[] = [];
    const settled = await Promise.allSettled(
      Array.from({ length: count }, async () => {
        clients.push(await pool.connect());
      }),
    );
    for (const client of clients) client.release();
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (!failed) return;
    if (code(failed.reason) !== TOO_MANY_CONNECTIONS || wait >= MAX_WAITS) throw failed.reason;
    if (wait === 0) log(`PostgreSQL is out of connections (shared server); waiting for ${count}`);
    await sleep(WAIT_MS);
  }
}
