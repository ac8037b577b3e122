import { randomUUID } from 'node:crypto';
import { createPool, migrate } from '@tally/infra';
import type { Projection } from '@tally/projections';
import type { CommandContext } from '../../apps/api/src/shared/command-context';
import { allMigrations } from '../../apps/shared/src/all-migrations';

/** Option texts of every bench poll; the poll specs name them o1…o4. */
export const OPTION_TEXTS = ['Red', 'Green', 'Blue', 'Yellow'] as const;
export const OPTION_IDS = OPTION_TEXTS.map((_, i) => `o${i + 1}`);

/** A fresh command context, as the HTTP layer builds one (no Idempotency-Key). */
export function commandContext(): CommandContext {
  return { metadata: { time: new Date().toISOString(), correlationId: randomUUID() } };
}

/** Tally's schema, with the read tables of `projections` only. */
export async function setupSchema(url: string, projections: readonly Projection[]): Promise<void> {
  const pool = createPool(url, 1);
  try {
    await migrate(pool, allMigrations(projections));
  } finally {
    await pool.end();
  }
}

export interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** A promise settled from outside (Promise.withResolvers is Node 22). */
export function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Rejects with `message` when `promise` has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds rounded to 3 decimals, null kept. */
export const ms3 = (value: number | null): number | null =>
  value === null ? null : Number(value.toFixed(3));
