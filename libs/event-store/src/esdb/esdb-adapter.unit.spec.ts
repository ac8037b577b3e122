import { MaxAppendSizeExceededError, WrongExpectedVersionError } from '@eventstore/db-client';
import { InvalidArgument, InvalidEvent, WrongExpectedRevision } from '../errors';
import { mapError } from './esdb-client';
import { toWrites } from './esdb-records';
import { idempotentEventId, uuidV5, withIdempotentIds } from './event-ids';
import { StreamGates } from './stream-gates';

describe('event ids derived from an Idempotency-Key', () => {
  it('is RFC 9562 UUIDv5 (the RFC example: www.example.com in the DNS namespace)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is the same for every retry and differs by key and index', () => {
    expect(idempotentEventId('k-1', 0)).toBe(idempotentEventId('k-1', 0));
    expect(idempotentEventId('k-1', 0)).not.toBe(idempotentEventId('k-1', 1));
    expect(idempotentEventId('k-1', 0)).not.toBe(idempotentEventId('k-2', 0));
    // No ambiguity between a key ending in digits and the index.
    expect(idempotentEventId('k-1', 10)).not.toBe(idempotentEventId('k-11', 0));
  });

  it('numbers the events of each key on its own in a batch of several commands; explicit ids and unkeyed events are left alone', () => {
    const keyed = (key: string) => ({ type: 'T', data: {}, metadata: { idempotencyKey: key } });
    const explicit = { id: '6f1c1d5e-3b0a-4c1e-9a7e-2a8e5d4c3b21', ...keyed('a') };
    const batch = withIdempotentIds([
      keyed('a'),
      keyed('b'),
      keyed('a'),
      explicit,
      { type: 'T', data: {} },
    ]);
    expect(batch.map((e) => e.id)).toEqual([
      idempotentEventId('a', 0),
      idempotentEventId('b', 0),
      idempotentEventId('a', 1),
      explicit.id,
      undefined,
    ]);
  });
});

describe('the append size limit', () => {
  it('refuses a batch over the maximum append size whole, as InvalidArgument (never split)', () => {
    const events = Array.from({ length: 3 }, () => ({ type: 'T', data: { s: 'x'.repeat(400) } }));
    expect(toWrites(events, 2000)).toHaveLength(3);
    expect(() => toWrites(events, 1000)).toThrow(InvalidArgument);
    expect(() => toWrites(events, 1000)).toThrow(/maximum append size of 1000/);
  });

  it('refuses $-types, which EventStoreDB keeps for its own events', () => {
    expect(() => toWrites([{ type: '$metadata', data: {} }], 1000)).toThrow(InvalidEvent);
  });
});

describe("the client's errors as the port's", () => {
  it('WrongExpectedVersion → WrongExpectedRevision with the actual revision (no stream: -1)', () => {
    const wrong = (actualVersion: bigint | 'no_stream') =>
      Object.assign(Object.create(WrongExpectedVersionError.prototype) as Error, {
        actualVersion,
      });
    expect(mapError(wrong(4n), 's', 2)).toEqual(new WrongExpectedRevision('s', 2, 4));
    const missing = mapError(wrong('no_stream'), 's', 'stream_exists');
    expect(missing).toBeInstanceOf(WrongExpectedRevision);
    expect(missing).toMatchObject({ expected: 'stream_exists', actual: -1 });
  });

  it('MaximumAppendSizeExceeded → InvalidArgument; anything else unchanged', () => {
    const tooBig = MaxAppendSizeExceededError.fromMaxAppendSize(1024);
    expect(mapError(tooBig, 's', 'any')).toBeInstanceOf(InvalidArgument);
    const other = new Error('unavailable');
    expect(mapError(other, 's', 'any')).toBe(other);
  });
});

describe('stream gates', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('appends to a stream share its gate; a conditioned append waits for them, and an append queued behind it waits too', async () => {
    const gates = new StreamGates();
    const order: string[] = [];
    const a1 = await gates.enter([{ streamId: 'poll', mode: 'append' }]);
    const a2 = await gates.enter([{ streamId: 'poll', mode: 'append' }]);
    const c = gates.enter([{ streamId: 'poll', mode: 'condition' }]).then((leave) => {
      order.push('condition');
      return leave;
    });
    const a3 = gates.enter([{ streamId: 'poll', mode: 'append' }]).then((leave) => {
      order.push('append');
      return leave;
    });
    await tick();
    expect(order).toEqual([]);
    a1();
    a2();
    const leaveCondition = await c;
    await tick();
    expect(order).toEqual(['condition']);
    leaveCondition();
    (await a3)();
    expect(order).toEqual(['condition', 'append']);
  });

  it('takes several gates in stream order, so crossing entries cannot deadlock', async () => {
    const gates = new StreamGates();
    const both = await Promise.all(
      [
        gates.enter([
          { streamId: 'b', mode: 'append' },
          { streamId: 'a', mode: 'condition' },
        ]),
        gates
          .enter([
            { streamId: 'a', mode: 'append' },
            { streamId: 'b', mode: 'condition' },
          ])
          .then((leave) => leave),
      ].map(async (entered, n) => {
        const leave = await entered;
        leave();
        return n;
      }),
    );
    expect(both).toEqual([0, 1]);
  });
});
