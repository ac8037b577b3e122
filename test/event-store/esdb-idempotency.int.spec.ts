import { idempotencyMigrations, PostgresIdempotencyStore } from '../../libs/commands/src';
import { EsdbEventStore, type NewEvent } from '../../libs/event-store/src';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdb';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { streamId } from './contract-helpers';

/**
 * Idempotency-Keys with the log in EventStoreDB (through the protocol test server): the key's
 * record (PostgreSQL) and the append (EventStoreDB) cannot share a transaction, so a process
 * may die between them. The retry then finds no record, decides again on the same state and
 * appends the same key-derived event ids at the same expected revision: the server takes it
 * as the append already made, and the answer is rebuilt from its result.
 */
interface Server {
  url: string;
  stop(): Promise<void>;
}

/** The server answers a repeated append (same event ids, same expected revision) as the first. */
function describeIdempotency(title: string, start: () => Promise<Server>): void {
  describe(title, () => {
    let server: Server;
    let db: TestDatabase;
    let store: EsdbEventStore;
    const keys = () => new PostgresIdempotencyStore(db.pool);

    beforeEach(async () => {
      server = await start();
      db = await createTestDatabase(idempotencyMigrations, 4);
      store = new EsdbEventStore({ url: server.url, pool: db.pool });
    });
    afterEach(async () => {
      await store.close();
      await server.stop();
      await db.drop();
    });

    const voted = (key: string): NewEvent[] => [
      { type: 'VoteCast', data: { option: 'a' }, metadata: { idempotencyKey: key } },
      { type: 'VoteCounted', data: {}, metadata: { idempotencyKey: key } },
    ];

    it('the same keyed append at the same expected revision is one append', async () => {
      const id = streamId('ballot');
      const first = await store.append(id, voted('key-1'), 'no_stream');
      const again = await store.append(id, voted('key-1'), 'no_stream');
      expect(again).toEqual(first);
      const stored = await store.readStream(id);
      expect(stored).toHaveLength(2);
      // Another key is another command: refused, the stream exists.
      await expect(store.append(id, voted('key-2'), 'no_stream')).rejects.toMatchObject({
        name: 'WrongExpectedRevision',
        actual: 1,
      });
    });

    it('a crash after the append and before the record: the retry appends nothing new and records the key', async () => {
      const id = streamId('ballot');
      const claim = [{ key: 'key-9', fingerprint: 'f' }];
      const crashed = store.withinTransaction({ streams: [id] }, async (tx) => {
        await keys().claim(tx, claim);
        await tx.append(id, voted('key-9'), 'no_stream');
        throw new Error('the process died here');
      });
      await expect(crashed).rejects.toThrow('the process died here');
      // The PostgreSQL part rolled back, the EventStoreDB append did not.
      expect(await keys().find('key-9')).toBeUndefined();
      const [, second] = await store.readStream(id);

      const reply = { status: 201, body: { ok: true } };
      const retried = await store.withinTransaction({ streams: [id] }, async (tx) => {
        const owned = await keys().claim(tx, claim);
        expect(owned.has('key-9')).toBe(true);
        const appended = await tx.append(id, voted('key-9'), 'no_stream');
        await keys().record(tx, [{ key: 'key-9', reply }]);
        return { commit: true, value: appended };
      });
      expect(retried).toEqual({ revision: 1, position: second!.position });
      expect(await store.readStream(id)).toHaveLength(2);
      expect(await keys().find('key-9')).toEqual({ fingerprint: 'f', reply });
    });

    it('commit: false rolls back the PostgreSQL part; appends only within the scope', async () => {
      const id = streamId('ballot');
      const value = await store.withinTransaction({ streams: [id] }, async (tx) => {
        await keys().claim(tx, [{ key: 'k', fingerprint: 'f' }]);
        return { commit: false, value: 'unproven' };
      });
      expect(value).toBe('unproven');
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM tally_idempotency');
      expect(rows[0]).toEqual({ n: 0 });
      await expect(
        store.withinTransaction({ streams: [id] }, async (tx) => {
          await tx.append(streamId('other'), voted('k'), 'any');
          return { commit: true, value: undefined };
        }),
      ).rejects.toMatchObject({ name: 'InvalidArgument' });
    });

    it('an append over the maximum append size is refused whole, nothing written', async () => {
      const id = streamId('big');
      const events = Array.from({ length: 3 }, () => ({
        type: 'T',
        data: { s: 'x'.repeat(400_000) },
      }));
      await expect(store.append(id, events, 'any')).rejects.toMatchObject({
        name: 'InvalidArgument',
      });
      expect(await store.readStream(id)).toEqual([]);
    });
  });
}

describeIdempotency(
  'EventStoreDB store through the protocol test server: idempotent appends and withinTransaction',
  async () => {
    const server: EsdbTestServer = await startEsdbTestServer();
    return { url: server.url, stop: () => server.stop() };
  },
);

const realUrl = process.env.EVENTSTORE_URL;
if (realUrl) {
  describeIdempotency(
    'EventStoreDB store against a real EventStoreDB (EVENTSTORE_URL): idempotent appends',
    () => Promise.resolve({ url: realUrl, stop: () => Promise.resolve() }),
  );
}
