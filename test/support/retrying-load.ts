/**
 * Clients that keep sending commands while the database goes away and comes back: each
 * command carries an Idempotency-Key and is sent again with the same key on a 503 or a
 * connection error until it gets a final answer, as a well-behaved client would.
 */
export interface LoadCommand {
  key: string;
  path: string;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Acknowledged {
  command: LoadCommand;
  status: number;
  body: Record<string, unknown>;
}

export interface LoadReport {
  acknowledged: Acknowledged[];
  /** Every answer by status, retries included. */
  statuses: Record<number, number>;
  /** 503 answers whose body was not `{error: 'unavailable'}`. */
  otherUnavailable: string[];
  /** Answers 500 or any 5xx other than 503: each one is a bug. */
  serverErrors: string[];
  connectionErrors: number;
  /** Requests that got no answer within the client's timeout. */
  timedOut: number;
  slowestMs: number;
}

export interface LoadOptions {
  baseUrl: string;
  workers: number;
  /** New commands started per second across all workers (retries are not paced). */
  ratePerSecond: number;
  /** The next command to send, or undefined when the load is over. */
  next: () => LoadCommand | undefined;
  requestTimeoutMs?: number;
}

const RETRY_MS = 100;

export async function runRetryingLoad(options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = {
    acknowledged: [],
    statuses: {},
    otherUnavailable: [],
    serverErrors: [],
    connectionErrors: 0,
    timedOut: 0,
    slowestMs: 0,
  };
  const interval = 1000 / options.ratePerSecond;
  let nextSlot = Date.now();
  const paced = async (): Promise<void> => {
    const slot = Math.max(nextSlot, Date.now());
    nextSlot = slot + interval;
    const wait = slot - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };

  const send = async (command: LoadCommand): Promise<Acknowledged> => {
    for (;;) {
      const started = Date.now();
      try {
        const response = await fetch(options.baseUrl + command.path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': command.key,
            ...command.headers,
          },
          body: JSON.stringify(command.body),
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? 15_000),
        });
        const text = await response.text();
        report.slowestMs = Math.max(report.slowestMs, Date.now() - started);
        report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
        if (response.status === 503) {
          if (!text.includes('"error":"unavailable"')) report.otherUnavailable.push(text);
        } else if (response.status >= 500) {
          report.serverErrors.push(`${response.status} ${command.path}: ${text}`);
        } else {
          return { command, status: response.status, body: JSON.parse(text) as never };
        }
      } catch (error) {
        report.slowestMs = Math.max(report.slowestMs, Date.now() - started);
        if ((error as Error).name === 'TimeoutError') report.timedOut++;
        else report.connectionErrors++;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      await paced();
      const command = options.next();
      if (!command) return;
      report.acknowledged.push(await send(command));
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return report;
}

/** `/health/ready` every `everyMs` until stopped: what an orchestrator's probe would see. */
export function watchReadiness(
  baseUrl: string,
  everyMs = 100,
): { samples: { at: number; answeredAt: number; status: number }[]; stop(): Promise<void> } {
  // `at` is when the probe was sent, `answeredAt` when its answer came.
  const samples: { at: number; answeredAt: number; status: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const status = await fetch(`${baseUrl}/health/ready`, {
        signal: AbortSignal.timeout(5000),
      }).then(
        (r) => r.status,
        () => 0,
      );
      samples.push({ at, answeredAt: Date.now(), status });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Resolves with the time `/health/ready` first answers 200 (polled every 50 ms). */
export async function readyAgain(baseUrl: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${baseUrl} not ready again within ${timeoutMs} ms`);
}
