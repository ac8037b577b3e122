// The JSON the ops page reads, mirrored from the API's types (ops-status.ts, lag-history.ts,
// event-browser.ts, ops.http.controller.ts): the page is compiled apart from the server.

interface RebuildView {
  status: string;
  processed: number;
  total: number;
  finishedAt: string | null;
  error: string | null;
}

interface ProjectionView {
  name: string;
  position: string;
  headPosition: string;
  lagEvents: number;
  lagSeconds: number;
  status: string;
  parkedEvents: number;
  rebuild: RebuildView | null;
}

interface RelayView {
  name: string;
  position: string;
  lagEvents: number;
}

interface PartitionView {
  group: string;
  topic: string;
  partition: number;
  logEndOffset: number;
  storedOffset: number;
  lag: number;
}

interface StatusView {
  time: string;
  projections: ProjectionView[];
  relays: RelayView[];
  kafka: {
    configured: boolean;
    up: boolean | null;
    consumerGroups: PartitionView[] | null;
    error: string | null;
  };
}

interface LagHistoryView {
  intervalMs: number;
  windowMs: number;
  projections: { name: string; samples: { time: string; lagEvents: number }[] }[];
}

interface AccessView {
  token: 'admin' | 'api' | 'invalid' | 'none';
  admin: boolean;
}

interface EventView {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  recordedAt: string;
  data: unknown;
}

interface EventPageView {
  events: EventView[];
  headPosition: string;
  scanned: number;
  next: string | null;
}

interface ErrorView {
  error?: string;
  message?: string;
}
