import { admin } from '../support/http-app';

export interface HostileCase {
  name: string;
  method: string;
  path: string;
  /** A string is sent raw; an object as JSON; undefined sends no body. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  error: string;
}

export const json = { 'content-type': 'application/json' };
export const item = (body: unknown, headers: Record<string, string> = admin): HostileCase[] => [
  {
    name: '',
    method: 'POST',
    path: '/items',
    body,
    headers,
    status: 400,
    error: 'validation_failed',
  },
];
export const buy = (body: unknown): Omit<HostileCase, 'name'> => ({
  method: 'POST',
  path: '/items/fx/purchases',
  body,
  status: 400,
  error: 'validation_failed',
});
export const named = (name: string, c: Omit<HostileCase, 'name'> | HostileCase[]): HostileCase => ({
  ...(Array.isArray(c) ? c[0]! : c),
  name,
});

type Headers = Record<string, string>;
const JSON_TEXT = '{"a":1}';

/** `method` on a known path that does not answer it: 405 with Allow. */
export const wrongMethod = ([method, path]: readonly [string, string]): HostileCase => ({
  name: `${method} ${path} (wrong method)`,
  method,
  path,
  status: 405,
  error: 'method_not_allowed',
});

/** A body route refusing bodies it cannot read, before reading them. */
export const bodyRefusals = ([method, path, auth]: readonly [
  string,
  string,
  Headers?,
]): HostileCase[] => {
  const c = (name: string, body: string, headers: Headers, status: number, error: string) => ({
    name: `${method} ${path}: ${name}`,
    method,
    path,
    body,
    headers: { ...auth, ...headers },
    status,
    error,
  });
  return [
    c(
      'a text/plain body',
      JSON_TEXT,
      { 'content-type': 'text/plain' },
      415,
      'unsupported_media_type',
    ),
    c(
      'a form body',
      'a=1',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
    ),
    c(
      'a gzip-encoded body',
      JSON_TEXT,
      { ...json, 'content-encoding': 'gzip' },
      415,
      'unsupported_media_type',
    ),
    c('malformed JSON', '{"a":', json, 400, 'validation_failed'),
    c('a body over 64 KiB', `{"a":"${'x'.repeat(66_000)}"}`, json, 413, 'payload_too_large'),
  ];
};

/** Anything else, in one line: [name, method, path, status, error, body?, headers?]. */
export type Row = readonly [string, string, string, number, string, unknown?, Headers?];
export const row = ([name, method, path, status, error, body, headers]: Row): HostileCase => ({
  name,
  method,
  path,
  status,
  error,
  body,
  headers,
});
