import type { EventStore, FoldEvent } from '@tally/event-store';
import { inTransaction } from '@tally/infra';
import type { Pool, PoolClient } from 'pg';
import type { Projection, TableNames } from './projection';

/** The projection's tables under scratch names (`<table>__<suffix>`). */
export function shadowTables<T extends string>(
  tables: TableNames<T>,
  suffix: string,
): TableNames<T> {
  return Object.fromEntries(
    Object.entries(tables).map(([logical, physical]) => [
      logical,
      `${String(physical)}__${suffix}`,
    ]),
  ) as TableNames<T>;
}

export interface ScratchFoldOptions {
  pool: Pool;
  store: EventStore;
  projections: readonly Projection[];
  /** The scratch tables are `<table>__<suffix>`, dropped and created anew from the DDL. */
  suffix: string;
  /** Fold the events after this position. Default 0: the whole log. */
  from?: bigint;
  /** Events read per page. Default 5000. */
  batchSize?: number;
  /** Aborting stops between pages. */
  signal?: AbortSignal;
  /**
   * A page that fails is applied again one event at a time, and the event refused is named
   * (FoldFailed). Only where each page has a transaction of its own.
   */
  pinpointFailures?: boolean;
  /** A malformed event passed over (as the live projector parks it), with what is wrong. */
  onMalformed?: (projection: string, event: FoldEvent, problem: string) => void;
  /** After each page: the events folded (of the projections' types), the position reached. */
  onPage?: (events: readonly FoldEvent[], position: bigint) => Promise<void> | void;
}

/** The event a fold refuses, found by applying its page one event at a time. */
export class FoldFailed extends Error {
  constructor(
    readonly projection: string,
    readonly event: FoldEvent,
    cause: unknown,
  ) {
    super(
      `${projection} fails on event ${event.position} (${event.type} in ${event.streamId}@${event.revision}): ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/**
 * Folds a range of the log with projections into scratch tables made from each projection's
 * own DDL; the live tables and checkpoints are never touched. One routine for the rebuild's
 * shadow tables, `tally replay` and the tests' from-scratch oracle. Only the projections'
 * event types are read (the store passes the others over), a page at a time.
 */
export class ScratchFold {
  private at: bigint;

  private constructor(
    private readonly options: ScratchFoldOptions,
    /** Scratch table names by projection name. */
    readonly tables: ReadonlyMap<string, TableNames<string>>,
  ) {
    this.at = options.from ?? 0n;
  }

  /** Drops and creates the scratch tables (one round trip per projection). */
  static async create(options: ScratchFoldOptions): Promise<ScratchFold> {
    const tables = new Map<string, TableNames<string>>();
    for (const projection of options.projections) {
      const scratch = shadowTables(projection.tables, options.suffix);
      await options.pool.query(
        `${Object.values(scratch)
          .map((t) => `DROP TABLE IF EXISTS ${t};`)
          .join('\n')}\n${projection.createTables(scratch)}`,
      );
      tables.set(projection.name, scratch);
    }
    return new ScratchFold(options, tables);
  }

  /** Every event up to here (of the projections' types) is in the scratch tables. */
  get position(): bigint {
    return this.at;
  }

  tablesOf(projection: Projection): TableNames<string> {
    return this.tables.get(projection.name)!;
  }

  /**
   * Folds (position, until], or up to the head when the log ends before `until`. With
   * `client`, inside the caller's transaction; otherwise one transaction per page and
   * projection. With `select`, only the events it keeps of each page are folded.
   */
  async foldTo(
    until: bigint,
    client?: PoolClient,
    select?: (events: readonly FoldEvent[]) => Promise<readonly FoldEvent[]>,
  ): Promise<void> {
    if (this.at >= until) return;
    const { store, projections, signal } = this.options;
    const batchSize = this.options.batchSize ?? 5000;
    const subscription = store.subscribeToFold(this.at, {
      batchSize,
      types: [...new Set(projections.flatMap((p) => p.eventTypes))],
    });
    try {
      for await (const page of subscription.pages()) {
        signal?.throwIfAborted();
        const read = page.events.filter((e) => e.position <= until);
        const events = select ? await select(read) : read;
        for (const projection of projections) await this.apply(projection, events, client);
        this.at = page.through < until ? page.through : until;
        await this.options.onPage?.(events, this.at);
        // A page short of full reached the head: nothing more to wait for.
        if (page.through >= until || page.events.length < batchSize) return;
      }
    } finally {
      await subscription.close();
    }
  }

  private async apply(
    projection: Projection,
    events: readonly FoldEvent[],
    client: PoolClient | undefined,
  ): Promise<void> {
    const types = new Set(projection.eventTypes);
    // A malformed event is never folded (the live projector parks it): skipped here too.
    const relevant = events.filter((e) => {
      if (!types.has(e.type)) return false;
      const problem = projection.eventProblem(e);
      if (problem !== undefined) this.options.onMalformed?.(projection.name, e, problem);
      return problem === undefined;
    });
    if (relevant.length === 0) return;
    const tables = this.tablesOf(projection);
    if (client) {
      await projection.apply(client, relevant, tables);
      return;
    }
    const inOwn = (batch: readonly FoldEvent[]): Promise<unknown> =>
      inTransaction(this.options.pool, (own) => projection.apply(own, batch, tables));
    if (!this.options.pinpointFailures) {
      await inOwn(relevant);
      return;
    }
    try {
      await inOwn(relevant);
    } catch {
      for (const event of relevant) {
        try {
          await inOwn([event]);
        } catch (error) {
          throw new FoldFailed(projection.name, event, error);
        }
      }
    }
  }
}

/**
 * The oracle: a fold of the whole log up to `until` into fresh scratch tables
 * (`<table>__<suffix>`, default `rebuild`). Returns their names by logical name.
 */
export async function foldFromScratch(options: {
  pool: Pool;
  store: EventStore;
  projection: Projection;
  until: bigint;
  batchSize?: number;
  suffix?: string;
}): Promise<TableNames<string>> {
  const { projection, until } = options;
  const fold = await ScratchFold.create({
    ...options,
    projections: [projection],
    suffix: options.suffix ?? 'rebuild',
  });
  await fold.foldTo(until);
  return fold.tablesOf(projection);
}

/** Rows that are in one table and not the other, both ways; 0 means equal as sets. */
export async function tableDifference(pool: Pool, left: string, right: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ((TABLE ${left} EXCEPT ALL TABLE ${right}) UNION ALL (TABLE ${right} EXCEPT ALL TABLE ${left})) d`,
  );
  return Number(rows[0]?.n ?? 0);
}
