import { call, startHttpApp, type HttpApp } from '../support/http-app';
import { sendPipelined } from '../support/raw-http';

const request = (method: string, path: string, body?: unknown): string => {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers =
    body === undefined
      ? ''
      : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n`;
  return `${method} ${path} HTTP/1.1\r\nHost: t\r\n${headers}\r\n${text}`;
};

/** Clients that keep one connection and pipeline on it get every answer, in order. */
describe('keep-alive and HTTP/1.1 pipelining', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
    const opened = await call(app.baseUrl, 'POST', '/polls', {
      pollId: 'piped',
      title: 'Piped',
      options: ['a', 'b'],
    });
    expect(opened.status).toBe(201);
    // Reads in the pipeline must find the poll: wait until poll-counts has it.
    const read = await call(
      app.baseUrl,
      'GET',
      `/polls/piped?minPosition=${String(opened.body.position)}`,
    );
    expect(read.status).toBe(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('200 requests in one write: votes, reads and refusals answered in request order, the connection kept', async () => {
    const sent: { request: string; status: number; voterId?: string; error?: string }[] = [];
    for (let i = 0; i < 200; i++) {
      if (i % 10 === 5) {
        sent.push({ request: request('GET', '/polls/piped'), status: 200 });
      } else if (i % 10 === 7) {
        // Refused by validation: it must not break the framing of the ones after it.
        const bad = { voterId: '', optionId: 'o1' };
        sent.push({
          request: request('POST', '/polls/piped/votes', bad),
          status: 400,
          error: 'validation_failed',
        });
      } else if (i % 10 === 9) {
        sent.push({
          request: request('POST', '/polls/nosuch/votes', { voterId: `n${i}`, optionId: 'o1' }),
          status: 404,
          error: 'poll_not_found',
        });
      } else {
        const voterId = `p${i}`;
        sent.push({
          request: request('POST', '/polls/piped/votes', { voterId, optionId: 'o1' }),
          status: 200,
          voterId,
        });
      }
    }
    const { answers, closedByServer } = await sendPipelined(
      app.baseUrl,
      sent.map((s) => s.request),
    );
    expect(closedByServer).toBe(false);
    expect(answers.map((a) => a.status)).toEqual(sent.map((s) => s.status));
    for (const [i, s] of sent.entries()) {
      if (s.voterId) expect(answers[i]!.body.voterId).toBe(s.voterId);
      if (s.error) expect(answers[i]!.body.error).toBe(s.error);
      expect(answers[i]!.headers.connection).toBe('keep-alive');
    }
    const votes = sent.filter((s) => s.voterId).length;
    const stored = await app.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM tally_events WHERE type = 'Voted' AND stream_id LIKE 'ballot-piped|%'`,
    );
    expect(Number(stored.rows[0]!.n)).toBe(votes);
  });
});
