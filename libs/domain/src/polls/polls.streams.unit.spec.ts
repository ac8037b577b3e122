import { ballotStreamId, pollStreamId } from './polls.streams';

/** Every string of length 1..maxLength over the alphabet. */
function allIds(alphabet: readonly string[], maxLength: number): string[] {
  let layer = [''];
  const ids: string[] = [];
  for (let length = 1; length <= maxLength; length++) {
    layer = layer.flatMap((prefix) => alphabet.map((char) => prefix + char));
    ids.push(...layer);
  }
  return ids;
}

/** The left inverse: if every stream id splits back into its pair, no two pairs share one. */
function parseBallotStreamId(streamId: string): [string, string] {
  const match = /^ballot-([^|]+)\|([^|]+)$/.exec(streamId);
  if (!match?.[1] || !match[2]) throw new Error(`not a ballot stream: ${streamId}`);
  return [match[1], match[2]];
}

describe('ballot stream ids', () => {
  it('map every distinct (pollId, voterId) pair to its own stream, ids with - . : included', () => {
    // 340 ids → 115,600 pairs: every way of shifting -, . and : between the two ids.
    const ids = allIds(['a', '-', '.', ':'], 4);
    const streams = new Set<string>();
    for (const pollId of ids) {
      for (const voterId of ids) streams.add(ballotStreamId(pollId, voterId));
    }
    expect(streams.size).toBe(ids.length * ids.length);
  });

  it.each([
    ['a-b', 'c'],
    ['a', 'b-c'],
    ['poll:2025.q1', 'voter-7'],
    ['x'.repeat(64), '-.:_'],
    ['ballot-a', 'b'],
  ])('give back the pair they were made from: (%s, %s)', (pollId, voterId) => {
    expect(parseBallotStreamId(ballotStreamId(pollId, voterId))).toEqual([pollId, voterId]);
  });

  it('keep apart the pairs a `-` separator would merge', () => {
    expect(['a-b', 'c'].join('-')).toBe(['a', 'b-c'].join('-'));
    expect(ballotStreamId('a-b', 'c')).not.toBe(ballotStreamId('a', 'b-c'));
  });

  it('refuse an id outside the contract rather than risk a shared stream', () => {
    expect(() => ballotStreamId('a|b', 'c')).toThrow(RangeError);
    expect(() => ballotStreamId('a', '')).toThrow(RangeError);
    expect(() => ballotStreamId('a', 'x'.repeat(65))).toThrow(RangeError);
  });
});

describe('poll stream ids', () => {
  it('are the category and the poll id', () => {
    expect(pollStreamId('p-1.x:y')).toBe('poll-p-1.x:y');
    expect(ballotStreamId('p-1', 'v:2')).toBe('ballot-p-1|v:2');
  });
});
