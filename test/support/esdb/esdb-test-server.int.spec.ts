import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, Position, ResolvedEvent } from '@eventstore/db-client';
import { startEsdbTestServer } from '.';
import type { EsdbTestServer } from '.';

// The real client 6.2.1 against the test server, over HTTP/2 + protobuf.
let server: EsdbTestServer;
let client: EventStoreDBClient;

beforeAll(async () => {
  server = await startEsdbTestServer({ maxAppendSize: 64 * 1024 });
  client = EventStoreDBClient.connectionString(server.url);
});

afterAll(async () => {
  await client.dispose();
  await server.stop();
});

const counted = (n: number) => jsonEvent({ type: 'Counted', data: { n } });

async function collect<E>(read: AsyncIterable<E>): Promise<E[]> {
  const out: E[] = [];
  for await (const event of read) out.push(event);
  return out;
}

const revisionsOf = (events: ResolvedEvent[]) => events.map((e) => e.event?.revision);

describe('appendToStream', () => {
  it('honours no_stream, exact, stream_exists and any, with consecutive revisions', async () => {
    const first = await client.appendToStream('s-1', [counted(1), counted(2)], {
      expectedRevision: 'no_stream',
    });
    expect(first).toMatchObject({ success: true, nextExpectedRevision: 1n });
    const second = await client.appendToStream('s-1', counted(3), { expectedRevision: 1n });
    expect(second.nextExpectedRevision).toBe(2n);
    expect(second.position!.commit).toBeGreaterThan(first.position!.commit);
    await client.appendToStream('s-1', counted(4), { expectedRevision: 'stream_exists' });
    const last = await client.appendToStream('s-1', counted(5), { expectedRevision: 'any' });
    expect(last.nextExpectedRevision).toBe(4n);
  });

  it.each([
    ['an exact revision behind', 0n, 1n],
    ['no_stream on an existing stream', 'no_stream' as const, 1n],
  ])(
    'refuses %s with WrongExpectedVersionError carrying the current revision',
    async (_, expectedRevision, actual) => {
      await client
        .appendToStream('s-wrong', [counted(1), counted(2)], { expectedRevision: 'no_stream' })
        .catch(() => undefined);
      const error: unknown = await client
        .appendToStream('s-wrong', counted(3), { expectedRevision })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect((error as WrongExpectedVersionError).actualVersion).toBe(actual);
      expect((error as WrongExpectedVersionError).expectedVersion).toBe(expectedRevision);
    },
  );

  it('refuses stream_exists and an exact revision on a missing stream (actual: no_stream)', async () => {
    for (const expectedRevision of ['stream_exists' as const, 0n]) {
      const error: unknown = await client
        .appendToStream('s-missing', counted(1), { expectedRevision })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect((error as WrongExpectedVersionError).actualVersion).toBe('no_stream');
    }
    expect(server.log.currentRevision('s-missing')).toBe('no_stream');
  });

  it('refuses an append over the maximum append size with MaxAppendSizeExceededError, writing nothing', async () => {
    const big = Array.from({ length: 5 }, () =>
      jsonEvent({ type: 'Big', data: { pad: 'x'.repeat(20_000) } }),
    );
    const error: unknown = await client.appendToStream('s-big', big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect((error as MaxAppendSizeExceededError).maxAppendSize).toBe(64 * 1024);
    expect(server.log.currentRevision('s-big')).toBe('no_stream');
  });
});

describe('readStream', () => {
  beforeAll(async () => {
    await client.appendToStream('s-read', [0, 1, 2, 3, 4].map(counted));
  });

  it('reads forwards and backwards, from a revision (inclusive), with maxCount', async () => {
    expect(revisionsOf(await collect(client.readStream('s-read')))).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(
      revisionsOf(await collect(client.readStream('s-read', { fromRevision: 2n, maxCount: 2 }))),
    ).toEqual([2n, 3n]);
    expect(
      revisionsOf(
        await collect(
          client.readStream('s-read', { direction: BACKWARDS, fromRevision: END, maxCount: 2 }),
        ),
      ),
    ).toEqual([4n, 3n]);
    expect(
      revisionsOf(
        await collect(client.readStream('s-read', { direction: BACKWARDS, fromRevision: 1n })),
      ),
    ).toEqual([1n, 0n]);
    const [event] = await collect(client.readStream('s-read', { maxCount: 1 }));
    expect(event?.event).toMatchObject({
      streamId: 's-read',
      type: 'Counted',
      data: { n: 0 },
      isJson: true,
    });
  });

  it('raises StreamNotFoundError for a stream without events', async () => {
    await expect(collect(client.readStream('nobody-wrote-here'))).rejects.toBeInstanceOf(
      StreamNotFoundError,
    );
  });
});

describe('$all', () => {
  it('holds system events first, positions strictly increasing, commit = prepare', async () => {
    const all = await collect(client.readAll({ direction: FORWARDS, fromPosition: START }));
    expect(all[0]?.event?.type.startsWith('$')).toBe(true);
    const positions = all.map((e) => e.event!.position);
    for (let i = 1; i < positions.length; i += 1) {
      expect(positions[i]!.commit).toBeGreaterThan(positions[i - 1]!.commit);
      expect(positions[i]!.prepare).toBe(positions[i]!.commit);
    }
  });

  it('reads forwards from a position inclusively, backwards from it exclusively', async () => {
    const all = await collect(client.readAll());
    const middle = all[3]!.event!.position;
    const forwards = await collect(client.readAll({ fromPosition: middle, maxCount: 2 }));
    expect(forwards.map((e) => e.event!.id)).toEqual([all[3]!.event!.id, all[4]!.event!.id]);
    const backwards = await collect(
      client.readAll({ fromPosition: middle, direction: BACKWARDS, maxCount: 2 }),
    );
    expect(backwards.map((e) => e.event!.id)).toEqual([all[2]!.event!.id, all[1]!.event!.id]);
    const last = await collect(
      client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }),
    );
    expect(last[0]!.event!.id).toBe(all[all.length - 1]!.event!.id);
  });
});

describe('subscribeToAll', () => {
  it('excludes system events, resumes after a position (exclusive), goes live, sends checkpoints', async () => {
    const resumeFrom: Position = (await client.appendToStream('sub-a', counted(0))).position!;
    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: resumeFrom,
      filter: excludeSystemEvents({
        checkpointInterval: 1,
        maxSearchWindow: 2,
        checkpointReached: (_s, p) => void checkpoints.push(p),
      }),
    });
    let caughtUp = false;
    subscription.on('caughtUp', () => (caughtUp = true));
    server.appendRaw('$system-noise', [{ type: '$noise' }]);
    await client.appendToStream('sub-b', [counted(1), counted(2)]);
    const seen: AllStreamResolvedEvent[] = [];
    for await (const event of subscription) {
      seen.push(event);
      if (seen.length === 2) await client.appendToStream('sub-c', counted(3)); // live after catch-up
      if (seen.length === 3) break;
    }
    expect(seen.map((e) => [e.event!.streamId, e.event!.revision])).toEqual([
      ['sub-b', 0n],
      ['sub-b', 1n],
      ['sub-c', 0n],
    ]);
    expect(caughtUp).toBe(true);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const checkpoint of checkpoints)
      expect(checkpoint.commit).toBeGreaterThan(resumeFrom.commit);
  });

  it('from END delivers only what is appended afterwards', async () => {
    const subscription = client.subscribeToAll({ fromPosition: END });
    await new Promise<void>((resolve) => subscription.once('confirmation', resolve));
    await client.appendToStream('after-end', counted(1));
    for await (const event of subscription) {
      expect(event.event?.streamId).toBe('after-end');
      break;
    }
  });

  it('survives dropped connections: the client reconnects for the next call', async () => {
    await server.dropConnections();
    const retry = async (): Promise<void> => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await client.appendToStream('after-drop', counted(1));
          return;
        } catch (error) {
          if (attempt > 5) throw error;
        }
      }
    };
    await retry();
    expect(server.log.currentRevision('after-drop')).toBe(0n);
  });
});
