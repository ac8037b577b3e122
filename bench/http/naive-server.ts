/**
 * The usual web-app answer to the hot counter, for comparison: node:http, no framework, one
 * transaction per vote that upserts the ballot and moves the count with atomic UPDATEs.
 * Run as its own process (`node dist/bench/http/naive-server.js`) with DATABASE_URL, PORT,
 * HOST and PG_POOL_SIZE; the schema is in naive-cell.ts. SIGTERM drains, then exits 0.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_SIZE ?? 64),
  application_name: 'naive-http',
});
pool.on('error', () => undefined);

const VOTE_PATH = /^\/polls\/([^/]+)\/votes$/;
const MAX_BODY = 64 * 1024;

// RETURNING shows only the new row before PostgreSQL 18, so the update keeps the option it
// replaced in previous_option_id: read under the row lock, it is right under concurrent
// votes of the same voter. A vote for the option already held updates nothing (no row).
const UPSERT_BALLOT = `
  INSERT INTO ballots AS b (poll_id, voter_id, option_id) VALUES ($1, $2, $3)
  ON CONFLICT (poll_id, voter_id) DO UPDATE
     SET option_id = EXCLUDED.option_id, previous_option_id = b.option_id
   WHERE b.option_id <> EXCLUDED.option_id
  RETURNING b.previous_option_id`;
// Both counts in one statement: two UPDATEs in vote order would let two voters moving
// between the same options in opposite directions deadlock.
const MOVE_COUNT = `
  UPDATE options SET votes = votes + CASE WHEN option_id = $2 THEN 1 ELSE -1 END
   WHERE poll_id = $1 AND option_id IN ($2, $3)`;

interface VoteReply {
  pollId: string;
  voterId: string;
  optionId: string;
  previousOptionId: string | null;
  changed: boolean;
}

class NotFound extends Error {}

async function castVote(pollId: string, voterId: string, optionId: string): Promise<VoteReply> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const ballot = await client.query<{ previous_option_id: string | null }>({
      name: 'upsert_ballot',
      text: UPSERT_BALLOT,
      values: [pollId, voterId, optionId],
    });
    const row = ballot.rows[0];
    if (row === undefined) {
      await client.query('COMMIT');
      return { pollId, voterId, optionId, previousOptionId: optionId, changed: false };
    }
    const previous = row.previous_option_id;
    const moved = await client.query({
      name: 'move_count',
      text: MOVE_COUNT,
      values: [pollId, optionId, previous],
    });
    if (moved.rowCount !== (previous === null ? 1 : 2)) throw new NotFound();
    await client.query('COMMIT');
    return { pollId, voterId, optionId, previousOptionId: previous, changed: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) reject(new Error('body too large'));
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 200;

async function vote(request: IncomingMessage, response: ServerResponse, pollId: string) {
  let input: { voterId?: unknown; optionId?: unknown };
  try {
    input = JSON.parse(await readBody(request)) as typeof input;
  } catch {
    return send(response, 400, { error: 'invalid_body' });
  }
  if (!isId(input?.voterId) || !isId(input.optionId))
    return send(response, 400, { error: 'validation_failed' });
  try {
    send(response, 200, await castVote(pollId, input.voterId, input.optionId));
  } catch (error) {
    if (error instanceof NotFound) return send(response, 404, { error: 'option_not_found' });
    send(response, 500, { error: 'internal', message: String(error) });
  }
}

let inFlight = 0;
let drained: (() => void) | undefined;

const server = createServer((request, response) => {
  const match = request.method === 'POST' ? VOTE_PATH.exec(request.url ?? '') : null;
  if (match) {
    inFlight++;
    void vote(request, response, decodeURIComponent(match[1] ?? '')).finally(() => {
      if (--inFlight === 0) drained?.();
    });
  } else if (request.method === 'GET' && request.url === '/health/ready') {
    send(response, 200, { status: 'ready' });
  } else {
    send(response, 404, { error: 'not_found' });
  }
});

// Votes whose client went away still commit; the bench checks the tables only after exit.
process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
  const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r));
  void idle
    .then(() => pool.end())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
