import type { Attempt } from '../lib/measure';
import type { AppendSession } from './system';

export interface Workload {
  name: string;
  description: string;
  /** Whether conflicts are expected (shown in the table). */
  contended: boolean;
  /** The attempt function of writer `writer` in cell `cell` (a prefix unique to the cell). */
  writer(session: AppendSession, cell: string, writer: number): Attempt;
}

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'new-streams',
    description: 'every append creates a new stream (expected: no stream)',
    contended: false,
    writer(session, cell, writer) {
      let n = 0;
      return async () =>
        (await session.append(`bench-${cell}-${writer}-${n++}`, writer, { kind: 'no_stream' })).ok;
    },
  },
  {
    name: 'own-stream',
    description: 'each writer appends to its own stream with the exact expected version',
    contended: false,
    writer(session, cell, writer) {
      const stream = `bench-${cell}-${writer}`;
      let count = 0;
      return async () => {
        const outcome = await session.append(stream, writer, { kind: 'exact', count });
        if (outcome.ok) count = outcome.count;
        else count = await session.streamCount(stream);
        return outcome.ok;
      };
    },
  },
  {
    name: 'hot-occ',
    description: 'all writers on one stream: read version, append with it, retry on conflict',
    contended: true,
    writer(session, cell, writer) {
      const stream = `bench-${cell}-hot`;
      return async () => {
        const count = await session.streamCount(stream);
        return (await session.append(stream, writer, { kind: 'exact', count })).ok;
      };
    },
  },
  {
    name: 'hot-any',
    description: 'all writers on one stream without a concurrency check (expected: any)',
    contended: true,
    writer(session, cell, writer) {
      const stream = `bench-${cell}-hot`;
      return async () => (await session.append(stream, writer, { kind: 'any' })).ok;
    },
  },
];
