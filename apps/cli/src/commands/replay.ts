import { ScratchFold } from '@tally/projections';
import { parsePosition, projectionNamed, withContext } from '../context';
import { printJson, printTable } from '../output';
import { FoldMeter, ProgressBar } from '../progress-bar';

/**
 * Folds the events in (from, to] through projections into scratch tables `<table>__replay`
 * (recreated each run; the live tables and checkpoints are never touched): to try a fold on
 * real history, to find the event a fold fails on (FoldFailed names it), or to time a fold.
 * Only the projections' event types are read and counted.
 */
export async function replay(options: {
  from: string;
  to?: string;
  projection?: string;
  json?: boolean;
}): Promise<void> {
  const from = parsePosition(options.from, '--from');
  const upTo = options.to === undefined ? undefined : parsePosition(options.to, '--to');
  const chosen = options.projection === undefined ? undefined : projectionNamed(options.projection);
  await withContext(async (context) => {
    const { pool } = context.database;
    const head = await context.store.headPosition();
    const asked = upTo ?? head;
    // The fold stops at the head: nothing past it exists yet.
    const to = asked < head ? asked : head;
    const projections = chosen ? [chosen] : [...context.projections];
    const types = [...new Set(projections.flatMap((p) => p.eventTypes))];
    // EventStoreDB caps the count (the total is then a lower bound, the bar runs past it).
    const total = (await context.store.countEvents(from, to, { types })).events;
    const bar = new ProgressBar();
    const meter = new FoldMeter(options.projection ?? 'all projections', total);
    let malformed = 0;
    const fold = await ScratchFold.create({
      pool,
      store: context.store,
      projections,
      suffix: 'replay',
      from,
      pinpointFailures: true,
      onMalformed: (name, event, problem) => {
        malformed++;
        console.error(
          `${name} skips malformed event ${event.position} (${event.type} in ${event.streamId}@${event.revision}): ${problem}`,
        );
      },
      onPage: (events) => {
        meter.done += events.length;
        bar.update(meter.figures());
      },
    });
    meter.restart();
    await fold.foldTo(to);
    bar.done(meter.figures());
    const position = fold.position;
    const tables = [];
    for (const projection of projections) {
      for (const [logical, table] of Object.entries(fold.tablesOf(projection))) {
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
      to: asked.toString(),
      position: position.toString(),
      events: meter.done,
      malformed,
      eventsPerSecond: Math.round(meter.figures().perSecond),
      tables,
    };
    // Malformed events are what a replay is run to find: the live projector parks them.
    if (malformed > 0) process.exitCode = 1;
    if (options.json) return printJson(summary);
    console.log(
      `replayed ${meter.done.toLocaleString('en-US')} events (${summary.from}, ${summary.position}] at ${summary.eventsPerSecond.toLocaleString('en-US')} events/s into scratch tables:`,
    );
    printTable(tables, ['projection', 'table', 'scratch', 'rows']);
  });
}
