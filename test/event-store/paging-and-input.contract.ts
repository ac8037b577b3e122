import {
  EventTooLarge,
  InvalidArgument,
  InvalidEvent,
  InvalidStreamId,
  MAX_EVENT_BYTES,
  type NewEvent,
} from '../../libs/event-store/src';
import type { HarnessFactory } from './event-store.harness';
import { events, streamId, useHarness, visible } from './contract-helpers';

const circular: Record<string, unknown> = {};
circular.self = circular;

const badStreamIds: [string, unknown][] = [
  ['empty', ''],
  ['over 256 characters', 'x'.repeat(257)],
  ['a NUL character', 'a\u0000b'],
  ['a newline', 'a\nb'],
  ['not a string', 42],
];

const badEvents: [string, unknown, new (...args: never[]) => Error][] = [
  ['no events', [], InvalidArgument],
  ['a BigInt in data', [{ type: 'T', data: { n: 1n } }], InvalidEvent],
  ['a circular object', [{ type: 'T', data: circular }], InvalidEvent],
  ['a function', [{ type: 'T', data: { f: () => 1 } }], InvalidEvent],
  ['undefined data', [{ type: 'T', data: undefined }], InvalidEvent],
  ['NaN', [{ type: 'T', data: { n: Number.NaN } }], InvalidEvent],
  ['Infinity', [{ type: 'T', data: [Number.POSITIVE_INFINITY] }], InvalidEvent],
  ['a Date instance', [{ type: 'T', data: { at: new Date() } }], InvalidEvent],
  ['a NUL in a string', [{ type: 'T', data: { s: 'a\u0000' } }], InvalidEvent],
  ['an unpaired surrogate', [{ type: 'T', data: { s: '\ud800x' } }], InvalidEvent],
  ['an empty type', [{ type: '', data: {} }], InvalidEvent],
  ['a non-UUID id', [{ id: 'nope', type: 'T', data: {} }], InvalidEvent],
  ['metadata that is an array', [{ type: 'T', data: {}, metadata: [] }], InvalidEvent],
  ['data over 1 MiB', [{ type: 'T', data: { s: 'x'.repeat(MAX_EVENT_BYTES) } }], EventTooLarge],
  [
    'a valid event followed by a bad one',
    [
      { type: 'T', data: {} },
      { type: 'T', data: { n: 1n } },
    ],
    InvalidEvent,
  ],
];

export function describePagingAndInputContract(factory: HarnessFactory): void {
  describe('paging', () => {
    const harness = useHarness(factory);

    it('readStream pages by fromRevision and maxCount', async () => {
      const { store } = harness();
      const id = streamId();
      await store.append(id, events(25), 'no_stream');
      const page = await store.readStream(id, { fromRevision: 10, maxCount: 7 });
      expect(page.map((e) => e.revision)).toEqual([10, 11, 12, 13, 14, 15, 16]);
      expect(await store.readStream(id, { fromRevision: 25 })).toEqual([]);
      expect(await store.readStream(streamId('missing'))).toEqual([]);
    });

    it('readAll pages through the whole log in global order', async () => {
      const { store } = harness();
      let last = 0n;
      for (let s = 0; s < 5; s++)
        last = (await store.append(streamId(`s${s}`), events(4), 'no_stream')).position;
      await visible(store, last);
      const seen: bigint[] = [];
      for (let from = 0n; ;) {
        const page = await store.readAll(from, 7);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(7);
        seen.push(...page.map((e) => e.position));
        from = page[page.length - 1]!.position;
      }
      expect(seen).toHaveLength(20);
      expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : 1)));
      expect(await store.headPosition()).toBe(seen[19]);
    });
  });

  describe('bad input gets a typed error and writes nothing', () => {
    const harness = useHarness(factory);

    it.each(badStreamIds)('a stream id that is %s', async (_, id) => {
      const { store } = harness();
      await expect(store.append(id as string, events(1), 'any')).rejects.toBeInstanceOf(
        InvalidStreamId,
      );
      expect(await store.headPosition()).toBe(0n);
    });

    it.each(badEvents)('%s', async (_, batch, errorType) => {
      const { store } = harness();
      const id = streamId();
      await expect(store.append(id, batch as NewEvent[], 'any')).rejects.toBeInstanceOf(errorType);
      expect(await store.streamState(id)).toEqual({ revision: -1, position: 0n });
      expect(await store.headPosition()).toBe(0n);
    });

    it.each([[-1], [1.5], ['latest'], [Number.MAX_VALUE]])(
      'an expected revision of %p',
      async (expected) => {
        const { store } = harness();
        await expect(
          store.append(streamId(), events(1), expected as number),
        ).rejects.toBeInstanceOf(InvalidArgument);
        expect(await store.headPosition()).toBe(0n);
      },
    );

    it('read arguments out of range', async () => {
      const { store } = harness();
      await expect(store.readAll(-1n, 10)).rejects.toBeInstanceOf(InvalidArgument);
      await expect(store.readAll(0n, 0)).rejects.toBeInstanceOf(InvalidArgument);
      await expect(store.readAll(0n, 1e9)).rejects.toBeInstanceOf(InvalidArgument);
      await expect(store.readStream(streamId(), { fromRevision: -2 })).rejects.toBeInstanceOf(
        InvalidArgument,
      );
    });
  });
}
