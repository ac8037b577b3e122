import { connect } from 'node:net';

export interface RawAnswer {
  /** Undefined when the server closed the socket without answering. */
  status: number | undefined;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface RawOptions {
  /** Pause between the parts (a slow client). */
  gapMs?: number;
  /** Hang up (RST) this long after the last part instead of waiting for an answer. */
  hangUpAfterMs?: number;
  /** A server that neither answers nor closes within this is a hang: the promise rejects. */
  timeoutMs?: number;
}

function parse(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || end < 0) return { status: undefined, headers: {}, body: {} };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text.slice(end + 4)) as Record<string, unknown>;
  } catch {
    body = { raw: text.slice(end + 4) };
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/**
 * Writes `parts` on a fresh TCP connection exactly as given (what fetch would refuse to
 * send: CR/LF inside headers, conflicting lengths, a body cut off) and reads one answer.
 */
export function sendRaw(
  baseUrl: string,
  parts: string[],
  { gapMs = 0, hangUpAfterMs, timeoutMs = 10_000 }: RawOptions = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no answer within ${timeoutMs} ms: ${JSON.stringify(parts[0]?.slice(0, 80))}`),
      );
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(text));
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (firstResponse(Buffer.from(text))) finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', finish);
    void (async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0 && gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (socket.destroyed) return;
        socket.write(part);
      }
      if (hangUpAfterMs !== undefined) setTimeout(() => socket.resetAndDestroy(), hangUpAfterMs);
    })();
  });
}

/** The first whole response in `bytes` and what follows it, or undefined while it is not whole. */
function firstResponse(bytes: Buffer): { answer: RawAnswer; rest: Buffer } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = bytes.subarray(0, end).toString('latin1');
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
  if (bytes.length < end + 4 + length) return undefined;
  return {
    answer: parse(bytes.subarray(0, end + 4 + length).toString('utf8')),
    rest: bytes.subarray(end + 4 + length),
  };
}

/**
 * Writes every request on one connection in a single write (HTTP/1.1 pipelining) and reads
 * their answers, in the order the server sent them; rejects if they do not all arrive.
 */
export function sendPipelined(
  baseUrl: string,
  requests: string[],
  timeoutMs = 15_000,
): Promise<{ answers: RawAnswer[]; closedByServer: boolean }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const answers: RawAnswer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let closedByServer = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${answers.length} of ${requests.length} answers within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let next = firstResponse(pending); next; next = firstResponse(pending)) {
        answers.push(next.answer);
        pending = next.rest;
      }
      if (answers.length < requests.length) return;
      // Still open once every answer is in: the connection is kept alive for more.
      setTimeout(() => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ answers, closedByServer });
      }, 50);
    });
    socket.on('end', () => (closedByServer = true));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (answers.length < requests.length) {
        clearTimeout(timer);
        reject(new Error(`closed after ${answers.length} of ${requests.length} answers`));
      }
    });
    socket.write(requests.join(''));
  });
}
