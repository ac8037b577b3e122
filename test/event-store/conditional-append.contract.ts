import {
  ContextStreamMoved,
  InvalidArgument,
  WrongExpectedRevision,
  type StreamCondition,
} from '../../libs/event-store/src';
import type { HarnessFactory } from './event-store.harness';
import { event, events, streamId, useHarness, visible } from './contract-helpers';

export function describeConditionalAppendContract(factory: HarnessFactory): void {
  describe('append conditions on context streams', () => {
    const harness = useHarness(factory);

    it('a context stream that moved refuses the append with its actual revision, writing nothing', async () => {
      const { store } = harness();
      const poll = streamId('poll');
      const ballot = streamId('ballot');
      const opened = await store.append(poll, [event('PollOpened', 0)], 'no_stream');
      const closed = await store.append(poll, [event('PollClosed', 1)], 0);
      await visible(store, closed.position);
      const head = await store.headPosition();

      const failure = await store
        .append(ballot, [event('VoteCast', 1)], 'no_stream', {
          conditions: [{ streamId: poll, revision: 0 }],
        })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ContextStreamMoved);
      expect(failure).toMatchObject({ streamId: poll, expected: 0, actual: 1 });
      expect(failure).not.toBeInstanceOf(WrongExpectedRevision);
      expect(await store.readStream(ballot)).toEqual([]);
      expect(await store.streamState(ballot)).toEqual({ revision: -1, position: 0n });
      expect(await store.headPosition()).toBe(head);

      const ok = await store.append(ballot, [event('VoteCast', 2)], 'no_stream', {
        conditions: [{ streamId: poll, revision: 1 }],
      });
      expect(ok.revision).toBe(0);
      expect(ok.position).toBeGreaterThan(opened.position);
    });

    it('revision -1 holds while the context stream does not exist; 0 is refused with actual -1', async () => {
      const { store } = harness();
      const context = streamId('ctx');
      const own = streamId('own');
      const ok = await store.append(own, [event('A', 1)], 'no_stream', {
        conditions: [{ streamId: context, revision: -1 }],
      });
      expect(ok.revision).toBe(0);
      await expect(
        store.append(own, [event('A', 2)], 0, { conditions: [{ streamId: context, revision: 0 }] }),
      ).rejects.toMatchObject({
        name: 'ContextStreamMoved',
        streamId: context,
        expected: 0,
        actual: -1,
      });
      await store.append(context, events(1), 'no_stream');
      await expect(
        store.append(own, [event('A', 3)], 0, {
          conditions: [{ streamId: context, revision: -1 }],
        }),
      ).rejects.toMatchObject({ name: 'ContextStreamMoved', expected: -1, actual: 0 });
      expect(await store.readStream(own)).toHaveLength(1);
    });

    it('several conditions: one wrong refuses the append (reported), all right append', async () => {
      const { store } = harness();
      const [a, b, missing] = [streamId('a'), streamId('b'), streamId('missing')];
      const own = streamId('own');
      await store.append(a, events(1), 'no_stream');
      await store.append(b, events(2), 'no_stream');
      const conditions = (bRevision: number): StreamCondition[] => [
        { streamId: a, revision: 0 },
        { streamId: b, revision: bRevision },
        { streamId: missing, revision: -1 },
      ];
      await expect(
        store.append(own, events(1), 'any', { conditions: conditions(0) }),
      ).rejects.toMatchObject({ name: 'ContextStreamMoved', streamId: b, expected: 0, actual: 1 });
      expect(await store.readStream(own)).toEqual([]);
      expect(
        (await store.append(own, events(1), 'any', { conditions: conditions(1) })).revision,
      ).toBe(0);
    });

    it('conditions are checked before the own expected revision; each has its own error', async () => {
      const { store } = harness();
      const [context, own] = [streamId('ctx'), streamId('own')];
      await store.append(context, events(1), 'no_stream');
      await store.append(own, events(1), 'no_stream');
      await expect(
        store.append(own, events(1), 5, { conditions: [{ streamId: context, revision: 3 }] }),
      ).rejects.toBeInstanceOf(ContextStreamMoved);
      await expect(
        store.append(own, events(1), 5, { conditions: [{ streamId: context, revision: 0 }] }),
      ).rejects.toMatchObject({ name: 'WrongExpectedRevision', streamId: own, actual: 0 });
      await expect(store.append(own, events(1), 0, { conditions: [] })).resolves.toMatchObject({
        revision: 1,
      });
    });

    it('in a batch of concurrent appends only the refused ones fail; a context appended to in the same batch orders its conditioned appends before it', async () => {
      const { store } = harness();
      const poll = streamId('poll');
      await store.append(poll, [event('PollOpened', 0)], 'no_stream');
      const ballots = Array.from({ length: 60 }, () => streamId('ballot'));
      const cast = (ballot: string, revision: number) =>
        store.append(ballot, [event('VoteCast', 1)], 'no_stream', {
          conditions: [{ streamId: poll, revision }],
        });
      const outcomes = await Promise.allSettled(
        ballots.map((ballot, n) => (n === 17 ? cast(ballot, 1) : cast(ballot, 0))),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
      const refused = outcomes[17];
      expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
        name: 'ContextStreamMoved',
        expected: 1,
        actual: 0,
      });
      expect(await store.readStream(ballots[17]!)).toEqual([]);

      // A close asked for together with more votes: each vote lands before it or is refused.
      const late = Array.from({ length: 40 }, () => streamId('late'));
      const [close, ...votes] = await Promise.allSettled([
        store.append(poll, [event('PollClosed', 1)], 0),
        ...late.map((ballot) => cast(ballot, 0)),
      ]);
      if (close?.status !== 'fulfilled') throw new Error('the close was refused');
      for (const vote of votes) {
        if (vote.status === 'fulfilled') {
          expect(vote.value.position).toBeLessThan(close.value.position);
        } else {
          expect(vote.reason).toMatchObject({ name: 'ContextStreamMoved', actual: 1 });
        }
      }
    });

    it('invalid conditions are refused with InvalidArgument before anything is written', async () => {
      const { store } = harness();
      const [own, context] = [streamId('own'), streamId('ctx')];
      const bad: unknown[] = [
        'not an object',
        { conditions: 'not an array' },
        { conditions: [null] },
        { conditions: [{ streamId: '', revision: 0 }] },
        { conditions: [{ streamId: 'x\u0000y', revision: 0 }] },
        { conditions: [{ streamId: 'x'.repeat(257), revision: 0 }] },
        { conditions: [{ streamId: context, revision: -2 }] },
        { conditions: [{ streamId: context, revision: 1.5 }] },
        { conditions: [{ streamId: context, revision: '0' }] },
        { conditions: [{ streamId: context }] },
        { conditions: [{ streamId: own, revision: -1 }] },
        {
          conditions: [
            { streamId: context, revision: 0 },
            { streamId: context, revision: 0 },
          ],
        },
        {
          conditions: Array.from({ length: 17 }, (_, n) => ({ streamId: `c-${n}`, revision: -1 })),
        },
      ];
      for (const options of bad) {
        await expect(
          store.append(own, events(1), 'any', options as { conditions: StreamCondition[] }),
        ).rejects.toBeInstanceOf(InvalidArgument);
      }
      expect(await store.readStream(own)).toEqual([]);
      const sixteen = Array.from({ length: 16 }, (_, n) => ({
        streamId: `${context}-${n}`,
        revision: -1,
      }));
      expect((await store.append(own, events(1), 'any', { conditions: sixteen })).revision).toBe(0);
    });
  });
}
