import { readProjectionStatus } from '@tally/ops';
import { withContext } from '../context';
import { printJson, printTable } from '../output';

export async function projectionsStatus(options: { json?: boolean }): Promise<void> {
  await withContext(async (context) => {
    const rows = await readProjectionStatus(
      context.database.pool,
      context.store,
      context.projections,
    );
    if (options.json) return printJson(rows);
    printTable(
      rows.map((r) => ({
        projection: r.name,
        checkpoint: r.position,
        head: r.headPosition,
        'lag events': r.lagEvents,
        'lag seconds': r.lagSeconds,
        status: r.status,
        'events/s': r.eventsPerSecond,
        parked: r.parkedEvents,
        'last rebuild': r.rebuild
          ? `${r.rebuild.status} ${r.rebuild.finishedAt ?? r.rebuild.updatedAt}`
          : '-',
      })),
      [
        'projection',
        'checkpoint',
        'head',
        'lag events',
        'lag seconds',
        'status',
        'events/s',
        'parked',
        'last rebuild',
      ],
    );
  });
}
