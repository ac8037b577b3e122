import type { Pool } from 'pg';

export const EVENTS_CHANNEL = 'tally_events';

/**
 * NOTIFY after commit, coalesced to at most one in flight. Notifying inside the append
 * transaction would serialise every append's commit on PostgreSQL's notify-queue lock.
 */
export class AppendNotifier {
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(private readonly pool: Pool) {}

  poke(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.send();
  }

  async drain(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async send(): Promise<void> {
    try {
      await this.pool.query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`);
    } catch {
      // Subscribers poll as a fallback; a lost wake-up only delays them.
    } finally {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        this.inFlight = this.send();
      }
    }
  }
}
