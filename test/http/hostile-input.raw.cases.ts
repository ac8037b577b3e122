import { ADMIN_TOKEN } from '../support/http-app';

export interface RawCase {
  name: string;
  /** Written as given, in order, on one fresh connection. */
  parts: string[];
  /** Pause between the parts: a slow client. */
  gapMs?: number;
  status: number;
  error: string;
}

const V = 'validation_failed';
const req = (line: string, headers: string[] = [], body = ''): string =>
  `${line} HTTP/1.1\r\nHost: t\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;
const json = (body: string): string[] => [
  'Content-Type: application/json',
  `Content-Length: ${Buffer.byteLength(body)}`,
];
const vote = '{"voterId":"v|1","optionId":"o"}';

/** What fetch refuses to send: the HTTP framing itself is hostile. */
export const rawCases: RawCase[] = [
  {
    name: 'an absolute-form target under a method its path does not take',
    parts: [req('DELETE http://t/health/ready')],
    status: 405,
    error: 'method_not_allowed',
  },
  {
    name: 'a CR inside a header value',
    parts: [req('GET /polls/fxpoll', ['X-A: a\rInjected: 1'])],
    status: 400,
    error: V,
  },
  {
    name: 'a header name with a space',
    parts: [req('GET /polls/fxpoll', ['X Bad: 1'])],
    status: 400,
    error: V,
  },
  {
    name: 'a space before the colon',
    parts: [req('GET /health/live', ['X-A : 1'])],
    status: 400,
    error: V,
  },
  {
    name: 'a NUL in a header value',
    parts: [req('GET /metrics', ['X-A: a\u0000b'])],
    status: 400,
    error: V,
  },
  {
    name: 'a header line without a colon',
    parts: [req('GET /ops', ['NoColonHere'])],
    status: 400,
    error: V,
  },
  {
    name: 'CRLF encoded into the path, a header injected',
    parts: [req('GET /polls/fxpoll%0d%0aSet-Cookie:%20a=1')],
    status: 400,
    error: V,
  },
  {
    name: 'a path escaping the docs root (encoded dots)',
    parts: [req('GET /docs/%2e%2e/%2e%2e/package.json')],
    status: 403,
    error: 'forbidden',
  },
  {
    name: 'Content-Length with Transfer-Encoding',
    parts: [
      req(
        'POST /polls/fxpoll/votes',
        ['Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked'],
        '0\r\n\r\n',
      ),
    ],
    status: 400,
    error: V,
  },
  {
    name: 'two different Content-Lengths',
    parts: [
      req(
        'POST /users',
        ['Content-Type: application/json', 'Content-Length: 2', 'Content-Length: 9'],
        '{}',
      ),
    ],
    status: 400,
    error: V,
  },
  {
    name: 'a negative Content-Length',
    parts: [req('POST /threads', ['Content-Type: application/json', 'Content-Length: -5'])],
    status: 400,
    error: V,
  },
  {
    name: 'a Content-Length that is not a number',
    parts: [req('POST /threads', ['Content-Type: application/json', 'Content-Length: ten'])],
    status: 400,
    error: V,
  },
  {
    name: 'a bad chunk size',
    parts: [
      req(
        'POST /users',
        ['Content-Type: application/json', 'Transfer-Encoding: chunked'],
        'zz\r\n{}\r\n0\r\n\r\n',
      ),
    ],
    status: 400,
    error: V,
  },
  {
    name: 'an unknown transfer coding',
    parts: [
      req(
        'POST /users',
        ['Content-Type: application/json', 'Transfer-Encoding: gzip, chunked'],
        '2\r\n{}\r\n0\r\n\r\n',
      ),
    ],
    status: 415,
    error: 'unsupported_media_type',
  },
  { name: 'a garbage request line', parts: ['GARBAGE\r\n\r\n'], status: 400, error: V },
  { name: 'a method with a slash', parts: [req('G/T /polls/fxpoll')], status: 400, error: V },
  {
    name: 'headers over 16 KiB',
    parts: [req('GET /polls/fxpoll', [`X-Big: ${'a'.repeat(20_000)}`])],
    status: 431,
    error: 'headers_too_large',
  },
  {
    name: 'a path escaping the docs root',
    parts: [req('GET /docs/../../../../etc/passwd')],
    status: 403,
    error: 'forbidden',
  },
  {
    name: 'a backslash traversal in the docs',
    parts: [req('GET /docs/..%5c..%5cpackage.json')],
    status: 403,
    error: 'forbidden',
  },
  { name: 'an undecodable path', parts: [req('GET /polls/%ZZ')], status: 400, error: V },
  {
    name: 'a JSON body with no Content-Type',
    parts: [req('POST /users', ['Content-Length: 18'], '{"username":"abc"}')],
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a deflate-encoded body',
    parts: [
      req(
        'POST /users',
        [...json('{"username":"abc"}'), 'Content-Encoding: deflate'],
        '{"username":"abc"}',
      ),
    ],
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a body shorter than its Content-Length, then more requests',
    parts: [
      req(
        'POST /polls/fxpoll/votes',
        ['Content-Type: application/json', 'Content-Length: 5'],
        '{"voterId"',
      ),
    ],
    status: 400,
    error: V,
  },
  {
    name: 'a slow body (one part every 150 ms)',
    parts: [req('POST /polls/fxpoll/votes', json(vote)), ...vote.match(/.{1,8}/g)!],
    gapMs: 150,
    status: 400,
    error: V,
  },
  {
    name: 'slow headers',
    parts: [
      'POST /items/fx/purchases HTTP/1.1\r\n',
      'Host: t\r\n',
      'Content-Type: application/json\r\n',
      'Content-Length: 14\r\n\r\n',
      '{"quantity":0}',
    ],
    gapMs: 150,
    status: 400,
    error: V,
  },
  {
    name: 'an admin route with the token split across lines',
    parts: [req('POST /items', ['Authorization: Bearer', ` ${ADMIN_TOKEN}`, ...json('{}')], '{}')],
    status: 400,
    error: V,
  },
  {
    // Routed by its path whatever the host (RFC 9112 §3.2.2), as a relative target would be.
    name: 'an absolute-form target for another host, under a method its path does not take',
    parts: [req('GET http://evil.example/polls/fxpoll/votes')],
    status: 405,
    error: 'method_not_allowed',
  },
];
