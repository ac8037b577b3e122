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
