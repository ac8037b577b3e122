import { EsdbEventStore } from '../../libs/event-store/src';
import { startEsdbTestServer } from '../support/esdb';
import { streamId } from './contract-helpers';

const WRITERS = 16;
const APPENDS = 250;

/** See bench/esdb/README.md: a smoke figure against the test server, not EventStoreDB. */
describe('smoke figure: appends through the EventStoreDB adapter to the protocol test server', () => {
  it(`${WRITERS} writers x ${APPENDS} single-event appends`, async () => {
    const server = await startEsdbTestServer();
    const store = new EsdbEventStore({ url: server.url });
    try {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          const id = streamId(`smoke${w}`);
          for (let n = 0; n < APPENDS; n++) {
            await store.append(
              id,
              [{ type: 'Counted', data: { n } }],
              n === 0 ? 'no_stream' : n - 1,
            );
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const total = WRITERS * APPENDS;
      process.stdout.write(
        `esdb adapter -> protocol TEST SERVER (not EventStoreDB): ${total} appends in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} appends/s\n`,
      );
      expect((await store.readAll(0n, 10_000)).length).toBe(total);
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
