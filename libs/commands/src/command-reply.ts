/** What a command answers: stored verbatim for idempotent replays. */
export interface CommandReply {
  status: number;
  body: Record<string, unknown>;
}

export interface DeliveredReply extends CommandReply {
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** A rejection the domain decided; its `code` is the contract's error code. */
export interface RejectionLike {
  code: string;
}

export interface Idempotency {
  key: string;
  /** Hash of what the request asked (method, path, body): a reused key must match it. */
  fingerprint: string;
}
