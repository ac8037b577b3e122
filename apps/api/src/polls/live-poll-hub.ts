import type { ProjectionChange } from '@tally/projections';
import type { ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { ProjectionPositions } from '../read-side/projection-positions';
import { STREAM_HEADERS, chunkFrame, message, writeChunk, type FramedChunk } from './live-wire';
import { POLLS_PROJECTION, readPollCounts, type PollCounts, type PollView } from './polls.queries';

export interface LiveHubOptions {
  /** Messages are written at most this often per stream (ms); 0 writes each batch at once. */
  flushMs: number;
  /** A stream whose unsent bytes exceed this is a slow consumer and is dropped. */
  maxBufferedBytes: number;
  heartbeatMs: number;
}

/** What a poll's followers have been sent, shared by all of them. */
interface FollowedPoll extends PollCounts {
  /** The poll-counts checkpoint these counts are at. */
  position: bigint;
  streams: Set<ServerResponse>;
  /** `data:` lines not written yet (coalesced until the next flush). */
  pending: string[];
}

export interface LiveHubStats {
  open: number;
  opened: number;
  dropped: number;
  reads: number;
}

const READ_CHUNK = 1000;

/**
 * Every Server-Sent Events stream of this API process, grouped by poll. Fan-out costs per
 * changed poll, not per subscriber: a batch committed by the in-process projector carries
 * the new counts of what it changed and is applied without any read; a checkpoint moved by
 * another process costs one statement for all followed polls together. Counts are absolute,
 * each tagged with its checkpoint, so whichever arrives late (a read, a batch) never moves a
 * poll back. Each message line is built once and written to every follower of the poll.
 */
export class LivePollHub {
  private readonly polls = new Map<string, FollowedPoll>();
  /** Every change up to here is in the followed polls' counts. */
  private known = 0n;
  private reading = false;
  private readAgain = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly stats: LiveHubStats = { open: 0, opened: 0, dropped: 0, reads: 0 };

  constructor(
    private readonly pool: Pool,
    private readonly positions: ProjectionPositions,
    private readonly options: LiveHubOptions,
  ) {}

  start(): void {
    this.unsubscribe.push(
      this.positions.onBatch(POLLS_PROJECTION, (from, to, changes) =>
        this.committed(from, to, changes),
      ),
      this.positions.on(POLLS_PROJECTION, (position) => this.advanced(position)),
    );
    this.heartbeat = setInterval(
      () => this.writeToAll(': heartbeat\n\n'),
      this.options.heartbeatMs,
    );
    this.heartbeat.unref();
  }

  /** Ends every stream, so that the server can close. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    clearInterval(this.heartbeat);
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flush();
    for (const poll of this.polls.values()) for (const stream of poll.streams) stream.end();
  }

  snapshot(): LiveHubStats {
    return { ...this.stats };
  }

  /**
   * Opens a stream on a poll the caller has just read: the follower first gets every option
   * as the hub knows it, then each counted change.
   */
  follow(view: PollView, stream: ServerResponse): void {
    if (stream.req.method === 'HEAD') {
      // The headers a GET would get, and no stream to hold: HEAD has no body.
      stream.writeHead(200, STREAM_HEADERS).end();
      return;
    }
    const at = BigInt(view.position);
    let poll = this.polls.get(view.pollId);
    if (!poll) {
      poll = {
        totalVotes: view.totalVotes,
        votes: new Map(view.options.map((o) => [o.optionId, o.votes])),
        position: at,
        streams: new Set(),
        pending: [],
      };
      this.polls.set(view.pollId, poll);
      // Batches up to `known` went by while no one followed this poll: read it again.
      if (at < this.known) this.refresh();
    } else {
      this.applyCounts(view.pollId, poll, view, at);
    }
    this.flushPoll(poll); // the existing followers get what they are owed before a newcomer joins
    stream.writeHead(200, STREAM_HEADERS);
    let first = ': connected\n\n';
    for (const [optionId, votes] of poll.votes) {
      first += message(view.pollId, optionId, votes, poll.totalVotes, poll.position);
    }
    stream.write(first);
    poll.streams.add(stream);
    this.stats.open += 1;
    this.stats.opened += 1;
    const followed = poll;
    stream.once('close', () => {
      if (!followed.streams.delete(stream)) return;
      this.stats.open -= 1;
      if (followed.streams.size === 0 && this.polls.get(view.pollId) === followed) {
        this.polls.delete(view.pollId);
      }
    });
  }

  private committed(from: bigint, to: bigint, changes: readonly ProjectionChange[]): void {
    // Someone else committed between what we know and this batch: only a read can tell what.
    if (from > this.known) return this.refresh();
    for (const change of changes) {
      const poll = this.polls.get(change.key);
      if (!poll || poll.position >= to) continue;
      const { optionId, votes, totalVotes } = change.value as {
        optionId: string;
        votes: number;
        totalVotes: number;
      };
      poll.totalVotes = totalVotes;
      if (poll.votes.get(optionId) === votes) continue;
      poll.votes.set(optionId, votes);
      poll.pending.push(message(change.key, optionId, votes, totalVotes, to));
    }
    if (to > this.known) this.known = to;
    let stale = false;
    for (const poll of this.polls.values()) {
      // Complete up to `from` and the batch covers (from, to]: complete up to `to`.
      if (poll.position >= from) poll.position = poll.position > to ? poll.position : to;
      else stale = true;
    }
    this.scheduleFlush();
    if (stale) this.refresh();
  }

  private advanced(position: bigint): void {
    if (position <= this.known) return;
    if (this.polls.size === 0) {
      this.known = position;
      return;
    }
    this.refresh();
  }

  /** One read of every followed poll, never two at once; asked again while reading, reads again. */
  private refresh(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void (async () => {
      try {
        do {
          this.readAgain = false;
          await this.readFollowed();
        } while (this.readAgain);
      } catch {
        // The next checkpoint move reads again; followers keep their last counts meanwhile.
      } finally {
        this.reading = false;
      }
    })();
  }

  private async readFollowed(): Promise<void> {
    const ids = [...this.polls.keys()];
    let floor: bigint | undefined;
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      const chunk = ids.slice(i, i + READ_CHUNK);
      const { polls, position } = await readPollCounts(this.pool, chunk);
      this.stats.reads += 1;
      const at = BigInt(position);
      floor ??= at; // checkpoints only grow: the first chunk's is the lowest
      for (const pollId of chunk) {
        const poll = this.polls.get(pollId);
        if (!poll) continue;
        const counts = polls.get(pollId);
        if (counts) this.applyCounts(pollId, poll, counts, at);
        else if (poll.position < at) poll.position = at; // no options: nothing to count
      }
    }
    if (floor === undefined) floor = this.positions.current(POLLS_PROJECTION);
    if (floor > this.known) this.known = floor;
    this.scheduleFlush();
    // A poll followed while this read was under way may be behind what is now known.
    for (const poll of this.polls.values()) if (poll.position < this.known) this.readAgain = true;
  }

  private applyCounts(
    pollId: string,
    poll: FollowedPoll,
    counts: PollCounts | PollView,
    at: bigint,
  ): void {
    if (at <= poll.position) return;
    poll.position = at;
    poll.totalVotes = counts.totalVotes;
    const entries =
      'options' in counts
        ? counts.options.map((o) => [o.optionId, o.votes] as const)
        : [...counts.votes];
    for (const [optionId, votes] of entries) {
      if (poll.votes.get(optionId) === votes) continue;
      poll.votes.set(optionId, votes);
      poll.pending.push(message(pollId, optionId, votes, counts.totalVotes, at));
    }
  }

  private scheduleFlush(): void {
    if (this.options.flushMs === 0) return this.flush();
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.options.flushMs);
  }

  private flush(): void {
    for (const poll of this.polls.values()) this.flushPoll(poll);
  }

  private flushPoll(poll: FollowedPoll): void {
    if (poll.pending.length === 0) return;
    // Encoded once for all followers, not once per socket.
    const chunk = chunkFrame(poll.pending.join(''));
    poll.pending = [];
    for (const stream of poll.streams) this.write(stream, chunk);
  }

  private writeToAll(text: string): void {
    const chunk = chunkFrame(text);
    for (const poll of this.polls.values()) {
      for (const stream of poll.streams) this.write(stream, chunk);
    }
  }

  /** A follower that does not read is cut off, not buffered for without end. */
  private write(stream: ServerResponse, chunk: FramedChunk): void {
    if (stream.destroyed) return;
    writeChunk(stream, chunk);
    if (stream.writableLength > this.options.maxBufferedBytes) {
      this.stats.dropped += 1;
      stream.destroy();
    }
  }
}
