import { rm, writeFile } from 'node:fs/promises';

/** How often a running process touches its heartbeat file. */
export const HEARTBEAT_EVERY_MS = 5_000;
/** A heartbeat older than this: the process is stuck, gone, or cannot reach its store. */
export const HEARTBEAT_STALE_MS = 30_000;

/**
 * The relay's and the projector's health for a container check, without an HTTP port: while
 * `healthy()` holds, the file at TALLY_HEARTBEAT_FILE is rewritten every few seconds; the
 * check (heartbeat-check.js) passes while it is fresh. A blocked event loop, a process that
 * exited, or an open database outage all let it go stale. Returns what removes it on shutdown.
 */
export function startHeartbeat(
  file: string | undefined,
  healthy: () => boolean,
  onError: (error: unknown) => void,
): () => Promise<void> {
  if (file === undefined) return () => Promise.resolve();
  const beat = (): void => {
    if (!healthy()) return;
    writeFile(file, `${new Date().toISOString()}\n`).catch(onError);
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await rm(file, { force: true });
  };
}
