import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { ProjectionPositions } from '../read-side/projection-positions';
import { readPollView } from './polls.queries';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events for one poll: after each commit of the poll-counts projection, every
 * option whose count changed, as the read tables then hold it. Counts are read after the
 * commit, so they never lag the position they carry.
 */
export function streamPoll(
  pool: Pool,
  positions: ProjectionPositions,
  pollId: string,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const sent = new Map<string, number>();
  let reading = false;
  let again = false;
  let closed = false;

  const push = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const view = await readPollView(pool, pollId);
        if (!view || closed) continue;
        for (const option of view.options) {
          if (sent.get(option.optionId) === option.votes) continue;
          sent.set(option.optionId, option.votes);
          const change = {
            pollId,
            optionId: option.optionId,
            votes: option.votes,
            totalVotes: view.totalVotes,
            position: view.position,
          };
          reply.raw.write(`data: ${JSON.stringify(change)}\n\n`);
        }
      } while (again && !closed);
    } catch {
      // A failed read is retried on the next commit.
    } finally {
      reading = false;
    }
  };

  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  reply.raw.write(': connected\n\n');
  const off = positions.on('poll-counts', () => void push());
  const heartbeat = setInterval(() => reply.raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const cleanup = (): void => {
    closed = true;
    off();
    clearInterval(heartbeat);
  };
  request.raw.on('close', cleanup);
  reply.raw.on('close', cleanup);
  void push();
}
