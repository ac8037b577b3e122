import type { Pool } from 'pg';

export const EVENTS_CHANNEL = 'tally_events';

/**
 * NOTIFY after commit, coalesced: at most one in flight, and at most one every
 * `minIntervalMs` (pokes in between are sent together at the end of the interval). Notifying
 * inside the append transaction would serialise every append's commit on PostgreSQL's
 * notify-queue lock; notifying after every one of hundreds of commits a second would cost a
 * round trip each for wake-ups that subscribers, a read behind, fold together anyway.
 */
export class AppendNotifier {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private lastSent = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly minIntervalMs = 0,
  ) {}

  poke(): void {
    if (this.inFlight || this.timer) {
      this.again = true;
      return;
    }
    const wait = this.lastSent + this.minIntervalMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.inFlight = this.send();
      }, wait);
      return;
    }
    this.inFlight = this.send();
  }

  async drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.inFlight = this.send();
    }
    while (this.inFlight) await this.inFlight;
  }

  private async send(): Promise<void> {
    this.lastSent = Date.now();
    try {
      await this.pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`);
    } catch {
      // Subscribers poll as a fallback; a lost wake-up only delays them.
    } finally {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    }
  }
}
