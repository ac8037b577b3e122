import { Client } from 'pg';
import { EVENTS_CHANNEL } from './append-notifier';

const RECONNECT_DELAY_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

/** One LISTEN connection per store, fanned out to every subscription in the process. */
export class LogListener {
  private readonly wakers = new Set<() => void>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly url: string) {}

  /** Registers a wake-up callback; resolves once LISTEN is active (or failed, then polling covers). */
  async add(wake: () => void): Promise<() => void> {
    this.wakers.add(wake);
    await this.ensureConnected();
    return () => this.wakers.delete(wake);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: 'tally-listener',
      // A server that accepts but does not answer must not hold every subscription's start.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('notification', () => this.wakeAll());
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.client = client;
      // Appends may have happened while no connection was listening.
      this.wakeAll();
    } catch {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wakers.size > 0) void this.ensureConnected();
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }

  private wakeAll(): void {
    for (const wake of this.wakers) wake();
  }
}
