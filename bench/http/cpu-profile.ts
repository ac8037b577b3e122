/** A V8 `.cpuprofile` as `node --cpu-prof` writes it (the parts read here). */
export interface CpuProfile {
  nodes: { id: number; callFrame: Frame; children?: number[] }[];
  /** Microseconds of the monotonic clock (process.hrtime's, in µs). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** Self time (µs) of one call-tree node in a window, with its frame and its caller's. */
export interface SelfTime {
  frame: Frame;
  caller: Frame | undefined;
  us: number;
}

/** Self time of every call-tree node sampled between `from` and `to` (monotonic µs). */
export function selfTimes(profile: CpuProfile, from: number, to: number): SelfTime[] {
  const byId = new Map<number, SelfTime>();
  for (const node of profile.nodes)
    byId.set(node.id, { frame: node.callFrame, caller: undefined, us: 0 });
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      const entry = byId.get(child);
      if (entry) entry.caller = node.callFrame;
    }
  }
  let at = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one (the last one: until the end).
    const next = i + 1 < samples.length ? at + (timeDeltas[i + 1] ?? 0) : profile.endTime;
    const span = Math.min(next, to) - Math.max(at, from);
    const entry = byId.get(samples[i] ?? -1);
    if (span > 0 && entry) entry.us += span;
  }
  return [...byId.values()].filter((entry) => entry.us > 0);
}

/** The npm package a script belongs to (`@scope/name` or `name`), if any. */
export function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const [first = '', second = ''] = url.slice(at + '/node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

const PG = [
  'pg',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'pg-int8',
  'pg-connection-string',
  'pgpass',
];
const NEST = ['@nestjs/core', '@nestjs/common', '@nestjs/platform-fastify', 'reflect-metadata'];
const NEST_HELPERS = ['iterare', 'path-to-regexp', 'fast-safe-stringify', 'tslib', 'uid'];
const FASTIFY = [
  'fastify',
  'find-my-way',
  'avvio',
  'light-my-request',
  'fast-json-stringify',
  'secure-json-parse',
  'fast-querystring',
  'fast-decode-uri-component',
  'toad-cache',
  'process-warning',
  'abstract-logging',
  'rfdc',
  'fastq',
  'reusify',
  'safe-regex2',
  'ret',
  'ipaddr.js',
  'json-schema-ref-resolver',
  'fastify-plugin',
];
const VALIDATION = ['class-validator', 'class-transformer', 'validator', 'libphonenumber-js'];
const AJV = ['ajv', 'ajv-formats', 'fast-uri', 'fast-deep-equal', 'json-schema-traverse'];
const PINO = [
  'pino',
  'pino-std-serializers',
  'sonic-boom',
  'thread-stream',
  '@pinojs/redact',
  'fast-redact',
  'on-exit-leak-free',
  'quick-format-unescaped',
  'atomic-sleep',
  'safe-stable-stringify',
  'real-require',
];
const ASYNC = [
  'node:async_hooks',
  'node:internal/async_hooks',
  'node:internal/async_local_storage',
  'node:internal/process/task_queues',
  'node:internal/process/promises',
];
const NET = [
  'node:net',
  'node:stream',
  'node:_http_',
  'node:internal/stream',
  'node:internal/http',
];
/** Native socket and parser calls: profiled with an empty url. */
const NET_NATIVE = new Set([
  'writev',
  'writeUtf8String',
  'writeLatin1String',
  'writeAsciiString',
  'writeBuffer',
  'readStart',
  'readStop',
  'shutdown',
  'execute',
  'onStreamRead',
]);
/** Native parts of promise and nextTick machinery. */
const ASYNC_NATIVE = new Set(['runMicrotasks', 'processTicksAndRejections']);

/** Categories in table order; `idle` ones are not busy time. */
export const CATEGORIES = [
  { name: 'Tally: apps/api (http/, controllers, DTOs, handlers)', idle: false },
  { name: 'Tally: libs/, projections/, other apps/', idle: false },
  { name: 'pg driver', idle: false },
  { name: '@nestjs/core + common + platform-fastify', idle: false },
  { name: '@nestjs/cqrs', idle: false },
  { name: 'rxjs', idle: false },
  { name: 'fastify (+ find-my-way, avvio, light-my-request…)', idle: false },
  { name: 'class-validator / class-transformer', idle: false },
  { name: 'ajv', idle: false },
  { name: 'pino', idle: false },
  { name: 'prom-client', idle: false },
  { name: 'other packages', idle: false },
  { name: 'async_hooks / node:internal async', idle: false },
  { name: 'node: http, net, streams, socket writes', idle: false },
  { name: 'node: other internals', idle: false },
  { name: 'V8 builtins and other native (JSON, RegExp…)', idle: false },
  { name: 'GC (garbage collector)', idle: false },
  { name: '(program): native outside JS', idle: true },
  { name: '(idle)', idle: true },
] as const;

export type Category = (typeof CATEGORIES)[number]['name'];

const inList = (list: readonly string[], pkg: string): boolean => list.includes(pkg);

export function categorise(frame: Frame): Category {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC (garbage collector)';
  if (functionName === '(idle)') return '(idle)';
  if (functionName === '(program)' || functionName === '(root)')
    return '(program): native outside JS';
  const pkg = packageOf(url);
  if (pkg !== undefined) {
    if (inList(PG, pkg) || pkg.startsWith('postgres-')) return 'pg driver';
    if (inList(NEST, pkg) || inList(NEST_HELPERS, pkg))
      return '@nestjs/core + common + platform-fastify';
    if (pkg === '@nestjs/cqrs') return '@nestjs/cqrs';
    if (pkg === 'rxjs') return 'rxjs';
    if (inList(FASTIFY, pkg) || pkg.startsWith('@fastify/'))
      return 'fastify (+ find-my-way, avvio, light-my-request…)';
    if (inList(VALIDATION, pkg)) return 'class-validator / class-transformer';
    if (inList(AJV, pkg)) return 'ajv';
    if (inList(PINO, pkg)) return 'pino';
    if (pkg === 'prom-client' || pkg === 'tdigest' || pkg === 'bintrees') return 'prom-client';
    return 'other packages';
  }
  if (url.includes('/dist/apps/api/'))
    return 'Tally: apps/api (http/, controllers, DTOs, handlers)';
  if (/\/dist\/(apps|libs|projections)\//.test(url))
    return 'Tally: libs/, projections/, other apps/';
  if (ASYNC.some((prefix) => url.startsWith(prefix))) return 'async_hooks / node:internal async';
  if (NET.some((prefix) => url.startsWith(prefix)))
    return 'node: http, net, streams, socket writes';
  if (url.startsWith('node:')) return 'node: other internals';
  if (url === '' && NET_NATIVE.has(functionName)) return 'node: http, net, streams, socket writes';
  if (url === '' && ASYNC_NATIVE.has(functionName)) return 'async_hooks / node:internal async';
  if (url === '') return 'V8 builtins and other native (JSON, RegExp…)';
  return 'other packages';
}
