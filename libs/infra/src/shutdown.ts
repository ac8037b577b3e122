/**
 * Runs `close` once on SIGTERM or SIGINT, then exits 0 (1 if closing failed). A second
 * signal while closing exits at once.
 */
export function onShutdownSignal(close: (signal: NodeJS.Signals) => Promise<void>): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1);
    closing = true;
    close(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
