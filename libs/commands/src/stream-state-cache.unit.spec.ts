import { StreamStateCache } from './stream-state-cache';

const at = (revision: number) => ({ state: revision, revision, position: BigInt(revision) });

describe('the stream state cache', () => {
  it('holds at most its capacity, evicting the oldest entry not read since', () => {
    const cache = new StreamStateCache(3);
    cache.set('a', at(1));
    cache.set('b', at(2));
    cache.set('c', at(3));
    cache.get('a');
    cache.set('d', at(4));
    expect(['a', 'b', 'c', 'd'].map((id) => cache.get(id)?.revision)).toEqual([1, undefined, 3, 4]);
  });

  it('a hot entry read on every turn survives any number of new streams', () => {
    const cache = new StreamStateCache(100);
    cache.set('poll', at(0));
    for (let i = 0; i < 10_000; i++) {
      expect(cache.get('poll')?.revision).toBe(0);
      cache.set(`ballot-${i}`, at(i));
    }
    expect(cache.get('ballot-9999')?.revision).toBe(9999);
    expect(cache.get('ballot-0')).toBeUndefined();
  });

  it('keeps its capacity and its hot entry while entries are deleted under the eviction cursor', () => {
    const cache = new StreamStateCache(50);
    cache.set('hot', at(0));
    for (let i = 0; i < 5_000; i++) {
      cache.get('hot');
      cache.set(`s-${i}`, at(i));
      if (i % 7 === 0) cache.delete(`s-${i - 3}`);
    }
    const kept = Array.from({ length: 5_000 }, (_, i) => cache.get(`s-${i}`)).filter(Boolean);
    expect(kept.length).toBeLessThanOrEqual(49);
    expect(cache.get('hot')?.revision).toBe(0);
    expect(cache.get('s-4999')?.revision).toBe(4999);
  });

  it('an update replaces the state in place; a delete forgets it', () => {
    const cache = new StreamStateCache(2);
    cache.set('a', at(1));
    cache.set('a', at(2));
    expect(cache.get('a')?.revision).toBe(2);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
