import { discardParked, listParked, retryParked } from '@tally/projections';
import { parsePosition, projectionNamed, withContext } from '../context';
import { printJson, printTable } from '../output';

const PARKED_COLUMNS = [
  'projection',
  'position',
  'stream',
  'revision',
  'type',
  'attempts',
  'first seen',
  'last tried',
  'error',
] as const;

/** `tally projections parked [name]`: the events projections parked instead of folding. */
export async function projectionsParked(
  name: string | undefined,
  options: { json?: boolean },
): Promise<void> {
  if (name !== undefined) projectionNamed(name);
  await withContext(async (context) => {
    const parked = await listParked(context.database.pool, name);
    if (options.json) return printJson(parked);
    if (parked.length === 0) {
      console.log(name ? `no parked events for ${name}` : 'no parked events');
      return;
    }
    printTable(
      parked.map((p) => ({
        projection: p.projection,
        position: p.position,
        stream: p.streamId,
        revision: p.revision,
        type: p.type,
        attempts: p.attempts,
        'first seen': p.firstSeen,
        'last tried': p.lastTried,
        error: p.error,
      })),
      PARKED_COLUMNS,
    );
  });
}

interface SelectOptions {
  position?: string;
  json?: boolean;
}

/** `tally projections retry <name> [--position p]`: fold parked events again. */
export async function projectionsRetry(name: string, options: SelectOptions): Promise<void> {
  const projection = projectionNamed(name);
  const position =
    options.position === undefined ? undefined : parsePosition(options.position, '--position');
  await withContext(async (context) => {
    const result = await retryParked({
      pool: context.database.pool,
      store: context.store,
      projection,
      position,
    });
    // Something asked for and still failing: the exit code says so to scripts.
    if (result.stillParked.length > 0) process.exitCode = 1;
    if (options.json) return printJson({ projection: name, ...result });
    console.log(
      `${name}: ${result.folded.length} folded${result.folded.length ? ` (${result.folded.join(', ')})` : ''}, ${result.stillParked.length} still parked`,
    );
    for (const p of result.stillParked)
      console.log(`  ${p.position} ${p.type} attempts=${p.attempts}: ${p.error}`);
  });
}

/** `tally projections discard <name> [--position p]`: drop parked events unfolded. */
export async function projectionsDiscard(name: string, options: SelectOptions): Promise<void> {
  projectionNamed(name);
  const position =
    options.position === undefined ? undefined : parsePosition(options.position, '--position');
  await withContext(async (context) => {
    const discarded = await discardParked(context.database.pool, { projection: name, position });
    if (options.json) return printJson({ projection: name, discarded });
    console.log(
      `${name}: ${discarded.length} discarded${discarded.length ? ` (${discarded.join(', ')})` : ''}`,
    );
  });
}
