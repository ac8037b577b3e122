import type { RecordedEvent } from '@tally/event-store';
import { shadowTables, type Projection, type TableNames } from '@tally/projections';
import type { Pool } from 'pg';
import { inTransaction } from '@tally/infra';
import { parsePosition, projectionNamed, withContext } from '../context';
import { printJson, printTable } from '../output';
import { ProgressBar } from '../progress-bar';

const PAGE = 5000;

interface Target {
  projection: Projection;
  tables: TableNames<string>;
}

/** The event a fold refuses, found by applying its batch one event at a time. */
class FoldFailed extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    cause: unknown,
  ) {
    super(
      `${projection} fails on event ${event.position} (${event.type} in ${event.streamId}@${event.revision}): ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

const applyInTransaction = (
  pool: Pool,
  target: Target,
  events: readonly RecordedEvent[],
): Promise<void> =>
  inTransaction(pool, async (client) => {
    await target.projection.apply(client, events, target.tables);
  });

async function apply(pool: Pool, target: Target, events: readonly RecordedEvent[]): Promise<void> {
  const relevant = events.filter((e) => target.projection.eventTypes.includes(e.type));
  if (relevant.length === 0) return;
  try {
    await applyInTransaction(pool, target, relevant);
  } catch {
    for (const event of relevant) {
      try {
        await applyInTransaction(pool, target, [event]);
      } catch (error) {
        throw new FoldFailed(target.projection.name, event, error);
      }
    }
  }
}

/**
 * Folds the events in (from, to] through projections into scratch tables `<table>__replay`
 * (recreated each run; the live tables and checkpoints are never touched): to try a fold on
 * real history, to find the event a fold fails on, or to time a fold.
 */
export async function replay(options: {
  from: string;
  to?: string;
  projection?: string;
  json?: boolean;
}): Promise<void> {
  await withContext(async (context) => {
    const { pool } = context.database;
    const from = parsePosition(options.from, '--from');
    const to =
      options.to === undefined
        ? await context.store.headPosition()
        : parsePosition(options.to, '--to');
    const projections = options.projection
      ? [projectionNamed(context, options.projection)]
      : [...context.projections];
    const targets: Target[] = projections.map((projection) => ({
      projection,
      tables: shadowTables(projection.tables, 'replay'),
    }));
    for (const { projection, tables } of targets) {
      await pool.query(
        `${Object.values(tables)
          .map((t) => `DROP TABLE IF EXISTS ${t};`)
          .join('\n')}\n${projection.createTables(tables)}`,
      );
    }
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM tally_events WHERE position > $1 AND position <= $2',
      [from.toString(), to.toString()],
    );
    const total = Number(rows[0]?.n ?? 0);
    const bar = new ProgressBar();
    const started = Date.now();
    let done = 0;
    let position = from;
    const figures = () => {
      const seconds = (Date.now() - started) / 1000;
      const perSecond = seconds > 0 ? done / seconds : 0;
      return {
        label: options.projection ?? 'all projections',
        done,
        total,
        perSecond,
        etaSeconds: perSecond > 0 ? (total - done) / perSecond : null,
      };
    };
    while (position < to) {
      const events = (await context.store.readAll(position, PAGE)).filter((e) => e.position <= to);
      const last = events[events.length - 1];
      if (!last) break;
      for (const target of targets) await apply(pool, target, events);
      position = last.position;
      done += events.length;
      bar.update(figures());
    }
    bar.done(figures());
    const tables = [];
    for (const { projection, tables: names } of targets) {
      for (const [logical, table] of Object.entries(names)) {
        const count = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
        tables.push({
          projection: projection.name,
          table: logical,
          scratch: table,
          rows: Number(count.rows[0]?.n ?? 0),
        });
      }
    }
    const summary = {
      from: from.toString(),
      to: to.toString(),
      position: position.toString(),
      events: done,
      eventsPerSecond: Math.round(figures().perSecond),
      tables,
    };
    if (options.json) return printJson(summary);
    console.log(
      `replayed ${done.toLocaleString('en-US')} events (${summary.from}, ${summary.position}] at ${summary.eventsPerSecond.toLocaleString('en-US')} events/s into scratch tables:`,
    );
    printTable(tables, ['projection', 'table', 'scratch', 'rows']);
  });
}
