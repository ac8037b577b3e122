/**
 * What became of a command. The pipeline never answers a protocol: each caller renders
 * the outcome (an HTTP controller into a status and body).
 */
export type CommandOutcome<S, Err> =
  | {
      kind: 'accepted';
      /** The stream's state before and after this command's events. */
      before: S;
      after: S;
      /** How many events this command appended (0: nothing to do). */
      appended: number;
      /** Stream revision after this command. */
      revision: number;
      /** Position of this command's last event, or the stream's last position when it appended nothing. */
      position: bigint;
    }
  | { kind: 'rejected'; error: Err }
  /** The command named a revision (`expectedRevision`) that is no longer current. */
  | { kind: 'revision_mismatch'; expectedRevision: number; currentRevision: number }
  /** Contention outlasted the retries. */
  | { kind: 'conflict' }
  /** The Idempotency-Key was used with another request (another fingerprint). */
  | { kind: 'idempotency_key_reused' };

export type AcceptedOutcome<S> = Extract<CommandOutcome<S, never>, { kind: 'accepted' }>;

/**
 * A rendered answer, opaque to the pipeline: stored as JSON with its Idempotency-Key and
 * given back verbatim to a retry, so it must survive a JSON round trip.
 */
export type StoredReply = object;

export type Render<S, Err, R extends StoredReply> = (outcome: CommandOutcome<S, Err>) => R;

export interface Delivered<R extends StoredReply> {
  reply: R;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}
