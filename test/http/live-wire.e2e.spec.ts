import { connect, type Socket } from 'node:net';
import { LivePollHub } from '../../apps/api/src/polls/live-poll-hub';
import { until } from '../support/projection-harness';
import { call, startHttpApp, type HttpApp } from '../support/http-app';

/**
 * The live hub writes its messages to the followers' sockets itself, framed once for all of
 * them: what a client reads off the wire must still be exact HTTP (chunked for HTTP/1.1, plain
 * for HTTP/1.0, nothing after the headers for HEAD, in order behind a pipelined request).
 */
interface Wire {
  bytes(): Buffer;
  close(): void;
}

function openWire(baseUrl: string, request: string): Promise<Wire> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname, () => {
      socket.write(request);
      resolve({ bytes: () => Buffer.concat(chunks), close: () => socket.destroy() });
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
  });
}

/** Splits off the first response head; undefined while it has not fully arrived. */
function head(bytes: Buffer): { status: string; headers: string; rest: Buffer } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const text = bytes.subarray(0, end).toString('latin1');
  return {
    status: text.split('\r\n')[0] ?? '',
    headers: text.toLowerCase(),
    rest: bytes.subarray(end + 4),
  };
}

/** Strict RFC 9112 §7.1 decoding of what has arrived; throws on any malformed frame. */
function dechunk(body: Buffer): string {
  let out = '';
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break; // a size line still arriving
    const sizeText = body.subarray(at, lineEnd).toString('latin1');
    if (!/^[0-9a-f]+$/.test(sizeText))
      throw new Error(`bad chunk size ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    const dataEnd = lineEnd + 2 + size;
    if (body.length < dataEnd + 2) break; // a chunk still arriving
    if (body.subarray(dataEnd, dataEnd + 2).toString('latin1') !== '\r\n') {
      throw new Error(`chunk of ${size} bytes not followed by CRLF`);
    }
    out += body.subarray(lineEnd + 2, dataEnd).toString('utf8');
    at = dataEnd + 2;
  }
  return out;
}

/** The last count of each option in an SSE text, every event well formed. */
function counts(sse: string): Record<string, number> {
  const last: Record<string, number> = {};
  for (const block of sse.split('\n\n').filter((b) => b.length > 0)) {
    if (block.startsWith(':')) continue; // comments: connected, heartbeat
    expect(block).toMatch(/^data: \{.*\}$/);
    const change = JSON.parse(block.slice('data: '.length)) as { optionId: string; votes: number };
    last[change.optionId] = change.votes;
  }
  return last;
}

describe('live streams on the wire', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ TALLY_SSE_FLUSH_MS: '20' });
  });
  afterAll(async () => app.close());

  let polls = 0;
  async function openPoll(): Promise<string> {
    const pollId = `wire-${++polls}`;
    const opened = await call(app.baseUrl, 'POST', '/polls', {
      pollId,
      title: pollId,
      options: ['a', 'b'],
    });
    expect(opened.status).toBe(201);
    await call(app.baseUrl, 'GET', `/polls/${pollId}?minPosition=${String(opened.body.position)}`);
    return pollId;
  }

  /** 40 voters: 25 on o1, 15 on o2, 20 at a time. */
  async function vote(pollId: string): Promise<void> {
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(app.baseUrl, 'POST', `/polls/${pollId}/votes`, {
          voterId: `v${i}`,
          optionId: i < 25 ? 'o1' : 'o2',
        }),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
  }

  const get = (path: string, version = '1.1', method = 'GET'): string =>
    `${method} ${path} HTTP/${version}\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`;

  it('HTTP/1.1: every message arrives in well-formed chunks, ending at the exact counts', async () => {
    const pollId = await openPoll();
    const wire = await openWire(app.baseUrl, get(`/polls/${pollId}/live`));
    await until(() => Promise.resolve(head(wire.bytes()) !== undefined), 'headers');
    await vote(pollId);
    const final = (): Record<string, number> => counts(dechunk(head(wire.bytes())!.rest));
    await until(() => Promise.resolve(final().o1 === 25 && final().o2 === 15), 'exact counts');
    const response = head(wire.bytes())!;
    expect(response.status).toBe('HTTP/1.1 200 OK');
    expect(response.headers).toContain('transfer-encoding: chunked');
    wire.close();
  });

  it('HTTP/1.0: the same messages unframed, the body delimited by the connection', async () => {
    const pollId = await openPoll();
    const wire = await openWire(app.baseUrl, get(`/polls/${pollId}/live`, '1.0'));
    await until(() => Promise.resolve(head(wire.bytes()) !== undefined), 'headers');
    await vote(pollId);
    const final = (): Record<string, number> => counts(head(wire.bytes())!.rest.toString('utf8'));
    await until(() => Promise.resolve(final().o1 === 25 && final().o2 === 15), 'exact counts');
    const response = head(wire.bytes())!;
    expect(response.status).toMatch(/^HTTP\/1\.[01] 200 OK$/);
    expect(response.headers).not.toContain('transfer-encoding');
    wire.close();
  });

  it('HEAD: the headers and not one byte after them, while votes are sent to followers; no stream held', async () => {
    const pollId = await openPoll();
    const follower = await openWire(app.baseUrl, get(`/polls/${pollId}/live`));
    const wire = await openWire(app.baseUrl, get(`/polls/${pollId}/live`, '1.1', 'HEAD'));
    await until(() => Promise.resolve(head(wire.bytes()) !== undefined), 'headers');
    await vote(pollId);
    const followerCounts = (): Record<string, number> =>
      counts(dechunk(head(follower.bytes())?.rest ?? Buffer.alloc(0)));
    await until(() => Promise.resolve(followerCounts().o1 === 25), 'the follower got the votes');
    await new Promise((resolve) => setTimeout(resolve, 100)); // past another flush
    expect(head(wire.bytes())!.status).toBe('HTTP/1.1 200 OK');
    expect(head(wire.bytes())!.rest).toHaveLength(0);
    expect(head(wire.bytes())!.headers).toContain('content-type: text/event-stream');
    expect(app.nest.get(LivePollHub).snapshot().open).toBe(1); // the follower only
    wire.close();
    follower.close();
  });

  it('pipelined behind another request: that answer first, then the stream in order', async () => {
    const pollId = await openPoll();
    const wire = await openWire(
      app.baseUrl,
      get(`/polls/${pollId}`) + get(`/polls/${pollId}/live`),
    );
    const second = (): ReturnType<typeof head> => {
      const first = head(wire.bytes());
      if (!first) return undefined;
      const length = Number(/content-length:\s*(\d+)/.exec(first.headers)?.[1] ?? -1);
      expect(length).toBeGreaterThan(0);
      const view = JSON.parse(first.rest.subarray(0, length).toString('utf8')) as {
        pollId: string;
      };
      expect(view.pollId).toBe(pollId);
      return head(first.rest.subarray(length));
    };
    await until(() => Promise.resolve(second() !== undefined), 'the stream after the read');
    await vote(pollId);
    const final = (): Record<string, number> => counts(dechunk(second()!.rest));
    await until(() => Promise.resolve(final().o1 === 25 && final().o2 === 15), 'exact counts');
    expect(second()!.headers).toContain('content-type: text/event-stream');
    wire.close();
  });
});
