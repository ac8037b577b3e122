import type { Logger } from '@tally/infra';
import type { ProjectionState, ProjectionStatus } from '@tally/ops';

export interface LagSample {
  time: string;
  lagEvents: number;
  lagSeconds: number;
  status: ProjectionState;
}

export interface LagHistoryView {
  intervalMs: number;
  windowMs: number;
  projections: { name: string; samples: LagSample[] }[];
}

const WINDOW_MS = 60 * 60 * 1000;

/** The newest `capacity` samples, oldest first, in a fixed array (no shifting). */
class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;
  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  toArray(): T[] {
    if (this.items.length < this.capacity) return [...this.items];
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

/**
 * Each projection's lag over the last hour, sampled by this API process, so the ops page can
 * draw it on load (a reload or a second operator sees the same past). Kept in memory: a
 * restart starts a new hour, and each API instance keeps its own.
 */
export class LagHistory {
  private readonly rings = new Map<string, Ring<LagSample>>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly read: () => Promise<ProjectionStatus[]>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  record(statuses: readonly ProjectionStatus[], at: Date): void {
    const time = at.toISOString();
    for (const p of statuses) {
      let ring = this.rings.get(p.name);
      if (!ring) {
        ring = new Ring(Math.ceil(WINDOW_MS / this.intervalMs));
        this.rings.set(p.name, ring);
      }
      ring.push({ time, lagEvents: p.lagEvents, lagSeconds: p.lagSeconds, status: p.status });
    }
  }

  view(now = Date.now()): LagHistoryView {
    const since = now - WINDOW_MS;
    return {
      intervalMs: this.intervalMs,
      windowMs: WINDOW_MS,
      projections: [...this.rings].map(([name, ring]) => ({
        name,
        samples: ring.toArray().filter((s) => Date.parse(s.time) >= since),
      })),
    };
  }

  // One read at a time: a slow store skips samples rather than piling reads up.
  private tick(): void {
    if (this.sampling) return;
    this.sampling = this.read()
      .then((statuses) => this.record(statuses, new Date()))
      .catch((error: unknown) => {
        // A gap in the chart says the store did not answer; /health says why.
        this.logger.debug({ err: error }, 'lag sample skipped');
      })
      .finally(() => (this.sampling = undefined));
  }
}
