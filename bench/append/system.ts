/** The expected state of a stream, as the number of events it holds. */
export type Expected =
  | { kind: 'no_stream' }
  | { kind: 'any' }
  /** Exactly `count` events (0: the stream must not exist, enforced by both stores). */
  | { kind: 'exact'; count: number };

/** `count`: events in the stream after the append. */
export type AppendOutcome = { ok: true; count: number } | { ok: false };

/** One pool and store, opened per cell and closed after it. */
export interface AppendSession {
  /** Appends one small event; `{ ok: false }` on an expected-version conflict. */
  append(streamId: string, writer: number, expected: Expected): Promise<AppendOutcome>;
  /** Events the stream holds now (0 when it does not exist). */
  streamCount(streamId: string): Promise<number>;
  close(): Promise<void>;
}

export interface AppendSystem {
  name: 'tally' | 'emmett';
  /** Table holding one row per appended event, for the sanity check. */
  eventsTable: string;
  /** Creates the schema in the (fresh) database at `url`. */
  setup(url: string): Promise<void>;
  open(url: string, poolSize: number): Promise<AppendSession>;
  /** Caveats printed under the table. */
  notes: readonly string[];
}

let sequence = 0;

/** A ~100-byte JSON payload, the same shape for both stores. */
export function eventData(writer: number): {
  counterId: string;
  delta: number;
  actor: string;
  seq: number;
  note: string;
} {
  sequence++;
  return {
    counterId: `counter-${String(sequence % 1_000_000).padStart(6, '0')}`,
    delta: 1,
    actor: `bench-writer-${String(writer).padStart(2, '0')}`,
    seq: sequence,
    note: 'padding-to-about-100-bytes',
  };
}

export const EVENT_TYPE = 'CounterIncremented';
