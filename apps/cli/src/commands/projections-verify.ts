import { inTransaction } from '@tally/infra';
import { readCheckpoints, ScratchFold, type Projection } from '@tally/projections';
import type { PoolClient } from 'pg';
import { projectionNamed, withContext, type CliContext } from '../context';
import { printJson } from '../output';
import { FoldMeter, ProgressBar } from '../progress-bar';
import { differenceCount, rowDifferences, type RowDifferences } from '../row-differences';

interface TableReport extends RowDifferences {
  table: string;
  live: string;
}

/**
 * The projection's checkpoint, locked against projectors until the transaction ends: a batch
 * moves it in the transaction that writes the tables, so the tables stay as of this position.
 */
async function lockedCheckpoint(client: PoolClient, name: string): Promise<bigint> {
  const { rows } = await client.query<{ position: string }>(
    'SELECT position FROM tally_projection_checkpoints WHERE name = $1 FOR SHARE',
    [name],
  );
  return BigInt(rows[0]?.position ?? 0);
}

async function compare(
  context: CliContext,
  projection: Projection,
  onPage: (events: number) => void,
): Promise<{ position: bigint; tables: TableReport[] }> {
  const { pool } = context.database;
  // Per process: two verifications at once do not share scratch tables.
  const fold = await ScratchFold.create({
    pool,
    store: context.store,
    projections: [projection],
    suffix: `verify${process.pid}`,
    pinpointFailures: true,
    onPage: (events) => onPage(events.length),
  });
  const scratch = fold.tablesOf(projection);
  try {
    // Most of the log outside the lock, so that the projectors wait only for the rest.
    const unlocked = (await readCheckpoints(pool, [projection.name])).get(projection.name) ?? 0n;
    await fold.foldTo(unlocked);
    return await inTransaction(pool, async (client) => {
      const position = await lockedCheckpoint(client, projection.name);
      await fold.foldTo(position, client);
      const tables: TableReport[] = [];
      for (const [logical, live] of Object.entries(projection.tables))
        tables.push({
          table: logical,
          live,
          ...(await rowDifferences(client, live, scratch[logical]!)),
        });
      return { position, tables };
    });
  } finally {
    await pool.query(
      Object.values(scratch)
        .map((t) => `DROP TABLE IF EXISTS ${t};`)
        .join('\n'),
    );
  }
}

function printReport(name: string, position: bigint, events: number, tables: TableReport[]): void {
  const total = tables.reduce((n, t) => n + differenceCount(t), 0);
  console.log(
    `${name}: ${total === 0 ? 'equal to' : 'DIFFERS from'} a fold from scratch up to its checkpoint ${position} (${events.toLocaleString('en-US')} events)`,
  );
  for (const t of tables) {
    const head = `  ${t.table} (${t.live}): ${t.missing.length} missing, ${t.extra.length} extra, ${t.differing.length} differing${t.truncated ? ' (first ones only)' : ''}`;
    console.log(head);
    const json = (v: unknown): string => JSON.stringify(v);
    for (const d of t.missing)
      console.log(`    missing   ${json(d.key)}  expected ${json(d.expected)}`);
    for (const d of t.extra) console.log(`    extra     ${json(d.key)}  live ${json(d.live)}`);
    for (const d of t.differing)
      console.log(
        `    differing ${json(d.key)}  live ${json(d.live)}  expected ${json(d.expected)}`,
      );
  }
}

/**
 * `tally projections verify <name>`: folds the log from 0 into scratch tables and compares
 * them with the live tables as of the projection's checkpoint. Exit code 0 when equal, 1 when
 * not; the live tables and the checkpoint are never written.
 */
export async function projectionsVerify(name: string, options: { json?: boolean }): Promise<void> {
  const projection = projectionNamed(name);
  await withContext(async (context) => {
    const checkpoint = (await readCheckpoints(context.database.pool, [name])).get(name) ?? 0n;
    const types = [...projection.eventTypes];
    const total = (await context.store.countEvents(0n, checkpoint, { types })).events;
    const bar = new ProgressBar();
    const meter = new FoldMeter(name, total);
    const { position, tables } = await compare(context, projection, (events) => {
      meter.done += events;
      bar.update(meter.figures());
    });
    bar.done(meter.figures());
    const differences = tables.reduce((n, t) => n + differenceCount(t), 0);
    if (differences > 0) process.exitCode = 1;
    if (options.json)
      return printJson({
        projection: name,
        position: position.toString(),
        events: meter.done,
        equal: differences === 0,
        tables,
      });
    printReport(name, position, meter.done, tables);
  });
}
