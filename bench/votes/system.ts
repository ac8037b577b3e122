import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import type { Attempt } from '../lib/measure';

/** What the clients vote on: the same load for every system of a scenario. */
export interface VoteLoad {
  polls: readonly string[];
  /** Option ids every poll has; votes pick among `votedOptions`. */
  options: readonly string[];
  votedOptions: readonly string[];
  /** Voters drawn at random from this many; null: every vote is cast by a new voter. */
  voters: number | null;
}

export interface Vote {
  pollId: string;
  voterId: string;
  optionId: string;
}

/**
 * Votes of one client: a random poll, a random (or a brand new) voter, and a random option
 * other than the one `held` says the voter last chose on that poll, so that every vote
 * changes something (a vote for the option already held appends nothing in Tally).
 */
export function voteSource(load: VoteLoad, client: number, held: Map<string, string>): () => Vote {
  let n = 0;
  return () => {
    const pollId = load.polls[randomInt(load.polls.length)] ?? '';
    const voterId =
      load.voters === null ? `voter-${client}-${n++}` : `voter-${randomInt(load.voters)}`;
    const ballot = `${pollId}|${voterId}`;
    const current = load.voters === null ? undefined : held.get(ballot);
    const choices = load.votedOptions.filter((o) => o !== current);
    const list = choices.length > 0 ? choices : load.votedOptions;
    const optionId = list[randomInt(list.length)] ?? '';
    if (load.voters !== null) held.set(ballot, optionId);
    return { pollId, voterId, optionId };
  };
}

/** What the database (and the read model) holds after a cell. */
export interface VoteCheck {
  /** Votes the system acknowledged (warm-up included). */
  acknowledged: number;
  /** Votes the final counts hold. */
  counted: number;
  /** Acknowledged votes missing from the counts (never negative). */
  lost: number;
  /** Differences found, empty when exact. */
  problems: string[];
  /** Acknowledged → read model committed, for acks inside the window (null: no read model). */
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagSamples: number;
  /** Votes per writing transaction (null: one per transaction). */
  perTransaction: number | null;
}

export interface VoteSession {
  pool: Pool;
  /** One vote by client `client`: true when the system acknowledged it. */
  voter(client: number): Attempt;
  /** After the clients stopped: waits for the read model, reads back, compares. */
  check(window: { start: number; end: number }): Promise<VoteCheck>;
  close(): Promise<void>;
}

export interface VoteSystem {
  name: string;
  description: string;
  /** Creates the schema and opens the polls of `load` in the fresh database at `url`. */
  setup(url: string, load: VoteLoad): Promise<void>;
  open(url: string, poolSize: number, load: VoteLoad): Promise<VoteSession>;
}
