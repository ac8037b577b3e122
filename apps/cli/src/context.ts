import type { EventStore } from '@tally/event-store';
import { loadConfig, migrate, openDatabase, type Database, type TallyConfig } from '@tally/infra';
import type { Projection } from '@tally/projections';
import { allProjections } from '@tally/read-models';
import { allMigrations } from '../../shared/src/all-migrations';
import { openEventStore } from '../../shared/src/open-event-store';

/** What every command works with: the database (DATABASE_URL or the embedded one), the store. */
export interface CliContext {
  config: TallyConfig;
  database: Database;
  store: EventStore;
  projections: readonly Projection[];
}

/** A wrong argument: printed without a stack, exit code 2. */
export class UsageError extends Error {}

export async function withContext<T>(work: (context: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ ...config, pgPoolSize: 8 }, () => undefined, {
    borrowRunning: true,
  });
  const store = openEventStore(config, database);
  try {
    await migrate(database.pool, allMigrations());
    return await work({ config, database, store, projections: allProjections });
  } finally {
    await store.close();
    await database.close();
  }
}

/** Checked before connecting anywhere: a wrong name is a usage error whatever runs. */
export function projectionNamed(name: string): Projection {
  const projection = allProjections.find((p) => p.name === name);
  if (!projection) {
    throw new UsageError(
      `no projection named '${name}'; known: ${allProjections.map((p) => p.name).join(', ')}`,
    );
  }
  return projection;
}

/** An integer option within [min, max], checked before connecting anywhere. */
export function parseIntegerOption(raw: string, option: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

export function parsePosition(raw: string, option: string): bigint {
  if (!/^\d{1,19}$/.test(raw) || BigInt(raw) > 9223372036854775807n)
    throw new UsageError(`${option} must be a position (a non-negative integer), got '${raw}'`);
  return BigInt(raw);
}
