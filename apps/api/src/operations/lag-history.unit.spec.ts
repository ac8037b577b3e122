import { createLogger } from '@tally/infra';
import type { ProjectionStatus } from '@tally/ops';
import { LagHistory } from './lag-history';

const status = (name: string, lagEvents: number): ProjectionStatus => ({
  name,
  position: '0',
  headPosition: String(lagEvents),
  lagEvents,
  lagSeconds: 0,
  eventsPerSecond: 0,
  status: lagEvents > 0 ? 'catching_up' : 'live',
  parkedEvents: 0,
  parkedEventsTotal: 0,
  rebuild: null,
});

describe('LagHistory', () => {
  const tenMinutes = 10 * 60 * 1000;
  const history = new LagHistory(() => Promise.resolve([]), tenMinutes, createLogger('silent'));
  const start = Date.parse('2026-01-01T00:00:00Z');

  it('keeps the last hour of samples per projection, oldest first, across the ring wrapping', () => {
    // Ten-minute samples: six make the hour; nine wrap the ring.
    for (let i = 0; i < 9; i += 1)
      history.record([status('a', i), status('b', 100 + i)], new Date(start + i * tenMinutes));
    const view = history.view(start + 8 * tenMinutes);
    expect(view).toMatchObject({ intervalMs: tenMinutes, windowMs: 3_600_000 });
    expect(view.projections.map((p) => p.name)).toEqual(['a', 'b']);
    expect(view.projections[0]!.samples.map((s) => s.lagEvents)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(view.projections[1]!.samples.map((s) => s.status)).toEqual(Array(6).fill('catching_up'));
  });

  it('drops samples older than an hour when asked later', () => {
    const later = history.view(start + 8 * tenMinutes + 31 * 60 * 1000);
    expect(later.projections[0]!.samples.map((s) => s.lagEvents)).toEqual([6, 7, 8]);
  });
});
