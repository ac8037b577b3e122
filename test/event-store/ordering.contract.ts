import { capable, type EventStoreHarness, type HarnessFactory } from './event-store.harness';
import { streamId, useHarness } from './contract-helpers';

const WRITERS = 32;
const EVENTS_PER_WRITER = 500;
const TOTAL = WRITERS * EVENTS_PER_WRITER;

interface Delivered {
  id: string;
  position: bigint;
}

/**
 * 32 writers append 500 events each to their own streams. The very first event is
 * appended in a transaction that is kept open until every other writer is done, so it
 * holds the lowest position and commits last.
 */
async function runLoad(
  harness: EventStoreHarness,
  onWritersDone: (lastPosition: bigint) => Promise<void>,
): Promise<Set<string>> {
  const written = new Set<string>();
  let lastPosition = 0n;
  const heldStream = streamId('held');
  const held = await harness.appendHeldOpen(heldStream, [
    { id: crypto.randomUUID(), type: 'Held', data: { n: 0 } },
  ]);
  const writer = async (w: number): Promise<void> => {
    const id = streamId(`writer${w}`);
    const first = w === 0 ? 1 : 0;
    for (let n = first; n < EVENTS_PER_WRITER; n++) {
      const eventId = crypto.randomUUID();
      const { position } = await harness.store.append(
        id,
        [{ id: eventId, type: 'Written', data: { w, n } }],
        'any',
      );
      if (position > lastPosition) lastPosition = position;
      written.add(eventId);
    }
  };
  try {
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    await onWritersDone(lastPosition);
  } finally {
    // Even when the test fails: an open transaction would hold back every reader on the server.
    await held.commit();
  }
  return written;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function expectExactlyOnceInOrder(delivered: Delivered[]): void {
  expect(new Set(delivered.map((d) => d.id)).size).toBe(delivered.length);
  for (let i = 1; i < delivered.length; i++) {
    expect(delivered[i]!.position > delivered[i - 1]!.position).toBe(true);
  }
}

export function describeOrderingContract(factory: HarnessFactory): void {
  describe(`global order: ${WRITERS} writers x ${EVENTS_PER_WRITER} events with a follower`, () => {
    const harness = useHarness(factory, 100);

    it(`the subscriber receives all ${TOTAL} exactly once, in position order, though the lowest position commits last`, async () => {
      const h = harness();
      const delivered: Delivered[] = [];
      const subscription = h.store.subscribeToAll(0n, { batchSize: 1000 });
      const following = (async () => {
        for await (const e of subscription) {
          delivered.push({ id: e.id, position: e.position });
          if (delivered.length === TOTAL) break;
        }
      })();

      let deliveredWhileHeld = -1;
      const written = await runLoad(h, async () => {
        await sleep(300);
        deliveredWhileHeld = delivered.length;
      });
      await until(() => delivered.length >= TOTAL, `${TOTAL} events`);
      await subscription.close();
      await following;

      // Nothing above the open transaction's position may be passed out while it is open.
      if (capable(factory, 'heldOpenAppend')) expect(deliveredWhileHeld).toBe(0);
      expect(delivered).toHaveLength(TOTAL);
      expectExactlyOnceInOrder(delivered);
      const ids = new Set(delivered.map((d) => d.id));
      for (const id of written) expect(ids.has(id)).toBe(true);
      expect(await h.store.readAll(delivered[TOTAL - 1]!.position, 10)).toEqual([]);
    });

    (capable(factory, 'naiveReader') ? it : it.skip)(
      'the same load read naively with position > checkpoint loses the late event (and others)',
      async () => {
        const h = harness();
        const delivered: Delivered[] = [];
        let checkpoint = 0n;
        let stop = false;
        let failure: unknown;
        const naive = (async () => {
          while (!stop && failure === undefined) {
            const batch = await h.naiveReadAll(checkpoint, 1000);
            for (const e of batch) {
              delivered.push(e);
              checkpoint = e.position;
            }
            if (batch.length === 0) await sleep(10);
          }
        })();

        try {
          await runLoad(h, (last) =>
            until(() => checkpoint >= last, 'the naive reader to reach the last write'),
          );
          // Give the naive reader every chance to see the late commit.
          await sleep(500);
        } finally {
          stop = true;
          await naive;
        }

        expectExactlyOnceInOrder(delivered);
        expect(delivered.length).toBeLessThan(TOTAL);
        const [first] = await h.store.readAll(0n, 1);
        expect(first?.type).toBe('Held');
        expect(delivered.some((d) => d.id === first?.id)).toBe(false);
        process.stdout.write(`naive reader lost ${TOTAL - delivered.length} of ${TOTAL} events\n`);
      },
    );
  });
}
