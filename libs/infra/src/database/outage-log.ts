import type { Logger } from 'pino';
import { databaseUnavailability } from './database-unavailable';

/**
 * Logs a database outage as it happens rather than once per retry: a background loop (a
 * projector, the relay) retries every fraction of a second while the database is down, and
 * each of those failures says the same thing. The first one of an outage is a warning, the
 * rest are debug lines for `everyMs`; `recovered()` closes the outage with one info line.
 */
export class OutageLog {
  private since: number | undefined;
  private lastWarned = 0;
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    /** What is waiting, e.g. "projector" (the log lines say "<what> waits for the store"). */
    private readonly what: string,
    private readonly everyMs = 10_000,
  ) {}

  /** True when `error` was the database being unavailable, now logged; false when it was not. */
  failed(error: unknown, fields: Record<string, unknown> = {}): boolean {
    const reason = databaseUnavailability(error);
    if (!reason) return false;
    const now = Date.now();
    this.since ??= now;
    this.failures++;
    const line = { ...fields, reason, err: error, downMs: now - this.since };
    if (now - this.lastWarned >= this.everyMs) {
      this.lastWarned = now;
      this.logger.warn(line, `store unavailable: ${this.what} waits and retries`);
    } else {
      this.logger.debug(line, `store still unavailable: ${this.what} retries`);
    }
    return true;
  }

  /** An outage is open: the last attempt failed on the database, none succeeded since. */
  get down(): boolean {
    return this.since !== undefined;
  }

  /** After a success: ends the outage, if one was open. */
  recovered(): void {
    if (this.since === undefined) return;
    this.logger.info(
      { downMs: Date.now() - this.since, failures: this.failures },
      `store available again: ${this.what} resumed`,
    );
    this.since = undefined;
    this.failures = 0;
    this.lastWarned = 0;
  }
}
