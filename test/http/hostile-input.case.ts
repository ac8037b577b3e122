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
