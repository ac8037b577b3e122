import type { CpuProfile, Frame } from './cpu-profile';
import { categorise, packageOf, selfTimes } from './cpu-profile';

const frame = (functionName: string, url = ''): Frame => ({ functionName, url, lineNumber: 0 });
const NM = 'file:///work/main/node_modules';

describe('profile categories', () => {
  it.each([
    [
      frame('vote', 'file:///x/dist/apps/api/src/http/command-request.js'),
      'Tally: apps/api (http/, controllers, DTOs, handlers)',
    ],
    [
      frame('append', 'file:///x/dist/libs/event-store/src/batch.js'),
      'Tally: libs/, projections/, other apps/',
    ],
    [frame('parse', `${NM}/pg-protocol/dist/parser.js`), 'pg driver'],
    [frame('x', `${NM}/postgres-array/index.js`), 'pg driver'],
    [
      frame('handle', `${NM}/@nestjs/core/router/router-execution-context.js`),
      '@nestjs/core + common + platform-fastify',
    ],
    [frame('execute', `${NM}/@nestjs/cqrs/dist/command-bus.js`), '@nestjs/cqrs'],
    [
      frame('find', `${NM}/find-my-way/index.js`),
      'fastify (+ find-my-way, avvio, light-my-request…)',
    ],
    [
      frame('x', `${NM}/@fastify/error/index.js`),
      'fastify (+ find-my-way, avvio, light-my-request…)',
    ],
    [
      frame('validate', `${NM}/class-validator/cjs/index.js`),
      'class-validator / class-transformer',
    ],
    [frame('write', `${NM}/pino/lib/proto.js`), 'pino'],
    [frame('bind', 'node:async_hooks'), 'async_hooks / node:internal async'],
    [frame('runMicrotasks'), 'async_hooks / node:internal async'],
    [frame('writev'), 'node: http, net, streams, socket writes'],
    [
      frame('writeGeneric', 'node:internal/stream_base_commons'),
      'node: http, net, streams, socket writes',
    ],
    [frame('deprecate', 'node:internal/util'), 'node: other internals'],
    [frame('stringify'), 'V8 builtins and other native (JSON, RegExp…)'],
    [frame('(garbage collector)'), 'GC (garbage collector)'],
    [frame('(program)'), '(program): native outside JS'],
    [frame('(idle)'), '(idle)'],
  ])('%o is %s', (f, category) => expect(categorise(f)).toBe(category));

  it('names the package of the innermost node_modules', () => {
    expect(packageOf(`${NM}/a/node_modules/@scope/b/lib/c.js`)).toBe('@scope/b');
    expect(packageOf('file:///x/dist/libs/a.js')).toBeUndefined();
  });
});

describe('self time in a window', () => {
  // Samples at 10, 20, 30, 40 µs (deltas from startTime 0), each lasting until the next.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3] },
      { id: 2, callFrame: frame('a') },
      { id: 3, callFrame: frame('b') },
    ],
    startTime: 0,
    endTime: 50,
    samples: [2, 3, 2, 3],
    timeDeltas: [10, 10, 10, 10],
  };

  it('counts only the part of each sample inside the window, with its caller', () => {
    const times = selfTimes(profile, 15, 45);
    const of = (name: string) => times.find((t) => t.frame.functionName === name);
    expect(of('a')?.us).toBe(5 + 10);
    expect(of('b')?.us).toBe(10 + 5);
    expect(of('a')?.caller?.functionName).toBe('(root)');
  });
});
