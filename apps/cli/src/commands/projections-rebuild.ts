import {
  kafkaSwapMode,
  RebuildInProgress,
  startRebuild,
  type RebuildProgress,
} from '@tally/projections';
import { UsageError, parseIntegerOption, projectionNamed, withContext } from '../context';
import { printJson } from '../output';
import { ProgressBar, type ProgressFigures } from '../progress-bar';

const figures = (p: RebuildProgress): ProgressFigures => ({
  label: p.name,
  done: p.processed,
  total: Math.max(p.total, p.processed),
  perSecond: p.eventsPerSecond,
  etaSeconds: p.etaSeconds,
  note: p.phase === 'replaying' ? undefined : p.phase.replace('_', ' '),
});

export async function projectionsRebuild(
  name: string,
  options: { json?: boolean; batchSize?: string },
): Promise<void> {
  const projection = projectionNamed(name);
  const batchSize =
    options.batchSize === undefined
      ? undefined
      : parseIntegerOption(options.batchSize, '--batch-size', 1, 10_000);
  await withContext(async (context) => {
    const bar = new ProgressBar();
    const abort = new AbortController();
    const interrupt = (): void => {
      process.stderr.write(
        '\ninterrupted: stopping between batches; the live tables stay as they were\n',
      );
      abort.abort();
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    let started: { rebuildId: string; done: Promise<RebuildProgress> };
    try {
      started = await startRebuild({
        pool: context.database.pool,
        store: context.store,
        projection,
        batchSize,
        signal: abort.signal,
        // Kafka mode: the swapped tables match the consumer group's stored offsets.
        mode:
          context.config.kafkaBrokers.length > 0
            ? kafkaSwapMode(context.database.pool, context.store)
            : undefined,
        onProgress: (p) => bar.update(figures(p)),
      });
    } catch (error) {
      if (error instanceof RebuildInProgress)
        throw new UsageError(
          `a rebuild of ${name} is already running (${error.rebuildId ?? 'id unknown'})`,
        );
      throw error;
    }
    try {
      const result = await started.done;
      bar.done(figures(result));
      const summary = {
        name,
        rebuildId: started.rebuildId,
        status: 'completed',
        position: result.position.toString(),
        events: result.processed,
        eventsPerSecond: result.eventsPerSecond,
      };
      if (options.json) printJson(summary);
      else
        console.log(
          `${name}: rebuilt from ${result.processed.toLocaleString('en-US')} events at ${result.eventsPerSecond.toLocaleString('en-US')} events/s; swapped in at position ${summary.position}`,
        );
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  });
}
