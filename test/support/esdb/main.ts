import { startEsdbTestServer } from './esdb-test-server';

/**
 * Runs the EventStoreDB test server on its own, for pointing a process at it by hand:
 *   npx tsc -p test/support/esdb/tsconfig.main.json && node .tally/esdb-test-server/main.js --port 2113
 * Prints one JSON line `{"url": "esdb://127.0.0.1:<port>?tls=false", "port": <port>}` when it
 * listens, and stops on SIGINT/SIGTERM. (Tests start it in the jest process instead.)
 */
async function main(argv: readonly string[]): Promise<void> {
  const option = (name: string): number | undefined => {
    const index = argv.indexOf(name);
    const value = index >= 0 ? Number(argv[index + 1]) : undefined;
    return value !== undefined && Number.isInteger(value) ? value : undefined;
  };
  const server = await startEsdbTestServer({
    port: option('--port'),
    maxAppendSize: option('--max-append-size'),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
  const stop = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
