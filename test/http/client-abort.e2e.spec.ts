import pino from 'pino';
import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import { sendRaw } from '../support/raw-http';

interface LogLine {
  level: number;
  msg: string;
}

const head = (path: string, headers: string): string =>
  `POST ${path} HTTP/1.1\r\nHost: t\r\n${headers}\r\n`;
const JSON_HEAD = 'Content-Type: application/json\r\n';

/** A client hanging up mid-body is its own doing: logged as such, never as the store down. */
describe('a client hanging up mid-request', () => {
  let app: HttpApp;
  const lines: LogLine[] = [];
  beforeAll(async () => {
    const capture = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
    app = await startHttpApp({}, pino({ level: 'debug' }, capture));
    const poll = { pollId: 'ab', title: 't', options: ['a', 'b'] };
    expect((await call(app.baseUrl, 'POST', '/polls', poll)).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each<[string, string[], number]>([
    [
      'a JSON body cut at its declared length',
      [head('/polls/ab/votes', `${JSON_HEAD}Content-Length: 200\r\n`), '{"voterId":'],
      0,
    ],
    [
      'a chunked body cut mid-chunk',
      [
        head('/polls/ab/votes', `${JSON_HEAD}Transfer-Encoding: chunked\r\n`),
        '20\r\n{"voterId":"v1",',
      ],
      0,
    ],
    [
      'a slow body given up on',
      [
        head(
          '/items',
          `${JSON_HEAD}Authorization: Bearer ${admin.authorization.slice(7)}\r\nContent-Length: 100\r\n`,
        ),
        '{"sku":',
        '"slow",',
        '"name":',
      ],
      150,
    ],
    [
      'a reaction body cut off',
      [
        `PUT /posts/p/reactions/like/u HTTP/1.1\r\nHost: t\r\n${JSON_HEAD}Content-Length: 50\r\n\r\n`,
        '{"act',
      ],
      0,
    ],
  ])(
    '%s: a debug line about the client, no store-unavailable line, nothing appended',
    async (_name, parts, gapMs) => {
      const before = await app.store.headPosition();
      lines.length = 0;
      const answer = await sendRaw(app.baseUrl, parts, { gapMs, hangUpAfterMs: 100 });
      expect(answer.status).toBeUndefined();
      // The server logs once it notices the socket closed.
      for (let i = 0; i < 50 && !lines.some((l) => l.msg.includes('client aborted')); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(lines.filter((l) => l.msg.includes('client aborted')).map((l) => l.level)).toEqual([
        20,
      ]);
      expect(lines.filter((l) => l.msg === 'store unavailable' || l.level >= 40)).toEqual([]);
      expect(await app.store.headPosition()).toBe(before);
      const alive = await call(app.baseUrl, 'GET', '/health/ready');
      expect(alive.status).toBe(200);
    },
  );
});

describe('a client that stalls mid-request (TALLY_HTTP_REQUEST_TIMEOUT_MS=1000)', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ TALLY_HTTP_REQUEST_TIMEOUT_MS: '1000' });
    const poll = { pollId: 'st', title: 't', options: ['a', 'b'] };
    expect((await call(app.baseUrl, 'POST', '/polls', poll)).status).toBe(201);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    [
      'a body that stops coming',
      [head('/polls/st/votes', `${JSON_HEAD}Content-Length: 60\r\n`), '{"voterId":"v1",'],
    ],
    ['headers that stop coming', ['POST /polls/st/votes HTTP/1.1\r\nHost: t\r\nContent-Ty']],
  ])('%s → 408 request_timeout within seconds, nothing appended', async (_name, parts) => {
    const before = await app.store.headPosition();
    const started = Date.now();
    const answer = await sendRaw(app.baseUrl, parts, { timeoutMs: 5000 });
    expect({ status: answer.status, error: answer.body.error }).toEqual({
      status: 408,
      error: 'request_timeout',
    });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(await app.store.headPosition()).toBe(before);
  });

  it('a live feed (its request complete) outlasts the request timeout', async () => {
    const controller = new AbortController();
    const response = await fetch(`${app.baseUrl}/polls/st/live`, { signal: controller.signal });
    expect(response.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500));
    const vote = await call(app.baseUrl, 'POST', '/polls/st/votes', {
      voterId: 'v9',
      optionId: 'o1',
    });
    expect(vote.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"votes":1')) {
      const { value } = (await reader.read()) as { value?: Uint8Array };
      text += new TextDecoder().decode(value);
    }
    controller.abort();
  });
});
