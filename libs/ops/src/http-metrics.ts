import { Counter, Histogram, type Registry } from 'prom-client';

/** The route label of a request that matched no route: one value, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Seconds: from half a millisecond (a cached read) to 10 s (a request stuck on the pool). */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

interface MethodChildren {
  observe(seconds: number): void;
  byStatus: Map<number, { inc(): void }>;
}

/**
 * Requests by method, route pattern (never the raw URL: bounded cardinality) and status,
 * and their latency by method and route; reads are the GET routes. The label children are
 * made once per route, method and status and kept, so a request costs map lookups.
 */
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;
  private readonly routes = new Map<string, Map<string, MethodChildren>>();

  constructor(registers: Registry[]) {
    this.requests = new Counter({
      name: 'tally_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'tally_http_request_duration_seconds',
      help: 'Time from request received to response sent, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  /** `route` is the pattern the router matched (`/polls/:pollId`), undefined when none. */
  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const pattern = route ?? UNMATCHED_ROUTE;
    let methods = this.routes.get(pattern);
    if (methods === undefined) {
      methods = new Map<string, MethodChildren>();
      this.routes.set(pattern, methods);
    }
    let children = methods.get(method);
    if (children === undefined) {
      const histogram = this.duration.labels(method, pattern);
      children = { observe: (s) => histogram.observe(s), byStatus: new Map() };
      methods.set(method, children);
    }
    let counter = children.byStatus.get(status);
    if (counter === undefined) {
      const child = this.requests.labels(method, pattern, String(status));
      counter = { inc: () => child.inc() };
      children.byStatus.set(status, counter);
    }
    counter.inc();
    children.observe(seconds);
  }
}
