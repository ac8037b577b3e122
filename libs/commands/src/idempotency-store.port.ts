import type { StoreTransaction } from '@tally/event-store';
import type { StoredReply } from './command-outcome';

export interface KeyClaim {
  key: string;
  fingerprint: string;
}

export interface RecordedReply {
  fingerprint: string;
  reply: StoredReply;
}

/**
 * Idempotency-Keys, recorded in the event store's transaction (`Tx`): a key is recorded
 * exactly when its events are. A concurrent claim of the same key waits for the first
 * transaction to end, which is how a duplicate in flight waits for the first answer.
 */
export interface IdempotencyStore<Tx extends StoreTransaction> {
  find(key: string): Promise<RecordedReply | undefined>;
  /** Returns the keys this transaction now owns; the others were recorded by someone else. */
  claim(tx: Tx, keys: readonly KeyClaim[]): Promise<Set<string>>;
  record(tx: Tx, replies: readonly { key: string; reply: StoredReply }[]): Promise<void>;
}
