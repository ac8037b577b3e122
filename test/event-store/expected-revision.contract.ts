import { WrongExpectedRevision } from '../../libs/event-store/src';
import { capable, type HarnessFactory } from './event-store.harness';
import { event, events, streamId, useHarness, visible } from './contract-helpers';

export function describeExpectedRevisionContract(factory: HarnessFactory): void {
  describe('expected revision', () => {
    const harness = useHarness(factory);

    it('no_stream creates a stream whose first event has revision 0', async () => {
      const { store } = harness();
      const id = streamId();
      const result = await store.append(id, [event('Opened', 1)], 'no_stream');
      expect(result.revision).toBe(0);
      expect(result.position).toBeGreaterThan(0n);
      expect(await store.streamState(id)).toEqual({ revision: 0, position: result.position });
    });

    it('no_stream on an existing stream is refused with the actual revision, writing nothing', async () => {
      const { store } = harness();
      const id = streamId();
      await store.append(id, events(3), 'no_stream');
      const failure = await store
        .append(id, [event('Again', 9)], 'no_stream')
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(WrongExpectedRevision);
      expect(failure).toMatchObject({ streamId: id, expected: 'no_stream', actual: 2 });
      expect((await store.readStream(id)).map((e) => e.type)).toEqual([
        'Counted',
        'Counted',
        'Counted',
      ]);
    });

    it('any appends to a new and to an existing stream', async () => {
      const { store } = harness();
      const id = streamId();
      expect((await store.append(id, events(2), 'any')).revision).toBe(1);
      expect((await store.append(id, events(1), 'any')).revision).toBe(2);
    });

    it('stream_exists refuses a missing stream (actual -1) and accepts an existing one', async () => {
      const { store } = harness();
      const id = streamId();
      await expect(store.append(id, events(1), 'stream_exists')).rejects.toMatchObject({
        name: 'WrongExpectedRevision',
        actual: -1,
      });
      await store.append(id, events(1), 'no_stream');
      expect((await store.append(id, events(1), 'stream_exists')).revision).toBe(1);
    });

    it('an exact revision appends when current and is refused when stale, ahead or missing', async () => {
      const { store } = harness();
      const id = streamId();
      await expect(store.append(id, events(1), 0)).rejects.toMatchObject({ actual: -1 });
      await store.append(id, events(2), 'no_stream');
      expect((await store.append(id, events(1), 1)).revision).toBe(2);
      await expect(store.append(id, events(1), 1)).rejects.toMatchObject({
        expected: 1,
        actual: 2,
      });
      await expect(store.append(id, events(1), 7)).rejects.toMatchObject({
        expected: 7,
        actual: 2,
      });
      expect(await store.readStream(id)).toHaveLength(3);
    });

    it('a refused append leaves the global log untouched', async () => {
      const { store } = harness();
      const id = streamId();
      const { position } = await store.append(id, events(1), 'no_stream');
      await visible(store, position);
      const head = await store.headPosition();
      await store.append(id, events(5), 3).catch(() => undefined);
      await store.append(id, events(5), 'no_stream').catch(() => undefined);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readAll(0n, 100)).toHaveLength(1);
    });

    it('records every field of an event, with consecutive revisions and increasing positions', async () => {
      const { store } = harness();
      const id = streamId('ballot');
      const metadata = {
        correlationId: 'c-1',
        causationId: 'k-1',
        idempotencyKey: 'idem-1',
        time: '2026-01-02T03:04:05.000Z',
      };
      const eventId = '6f1c1d5e-3b0a-4c1e-9a7e-2a8e5d4c3b21';
      const result = await store.append(
        id,
        [
          {
            id: eventId,
            type: 'Voted',
            data: { optionId: 'a', nested: [1, 'two', null, { ok: true }] },
            metadata,
          },
          event('Voted', 2),
        ],
        'no_stream',
      );
      const [first, second] = await store.readStream(id);
      expect(first).toEqual({
        id: eventId,
        type: 'Voted',
        data: { optionId: 'a', nested: [1, 'two', null, { ok: true }] },
        metadata,
        streamId: id,
        revision: 0,
        position: capable(factory, 'consecutivePositions')
          ? result.position - 1n
          : (expect.any(BigInt) as bigint),
        recordedAt: expect.any(Date) as Date,
      });
      expect(first!.position).toBeLessThan(result.position);
      expect(second?.revision).toBe(1);
      expect(second?.position).toBe(result.position);
      expect(second?.id).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
}
