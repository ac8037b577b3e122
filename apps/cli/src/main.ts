import { Command, CommanderError } from 'commander';
import { eventsTail } from './commands/events-tail';
import { kafkaTakeOver } from './commands/kafka-take-over';
import { lag } from './commands/lag';
import {
  projectionsDiscard,
  projectionsParked,
  projectionsRetry,
} from './commands/projections-parked';
import { projectionsRebuild } from './commands/projections-rebuild';
import { projectionsStatus } from './commands/projections-status';
import { projectionsVerify } from './commands/projections-verify';
import { replay } from './commands/replay';
import { UsageError } from './context';

/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `npx tally …`: operators' tooling against the same database as the service. */
function program(): Command {
  const tally = new Command('tally')
    .description(
      'Tally operations: projection status, rebuild, verify and replay, lag, the event log. ' +
        "Connects to DATABASE_URL, or to the embedded PostgreSQL of `npm start` (TALLY_DATA_DIR, default .tally in Tally's folder; TALLY_EMBEDDED_PG_PORT); " +
        'KAFKA_BROKERS adds the consumer group to `lag`. ' +
        'Exit codes: 0 done, 1 failed or found a problem, 2 wrong arguments.',
    )
    .showHelpAfterError()
    .exitOverride();

  const projections = tally
    .command('projections')
    .description('status, rebuilds and parked events of the read models');
  projections
    .command('status')
    .description('each projection: checkpoint, head, lag in events and seconds, status')
    .option('--json', 'print JSON')
    .action(projectionsStatus);
  projections
    .command('rebuild')
    .argument('<name>', 'the projection to rebuild')
    .description(
      'replay the log from position 0 into shadow tables, catch up, then swap tables and checkpoint in one transaction; reads keep answering throughout',
    )
    .option('--batch-size <n>', 'events per batch (1-10000)')
    .option('--json', 'print the result as JSON')
    .action(projectionsRebuild);
  projections
    .command('verify')
    .argument('<name>', 'the projection to verify')
    .description(
      'fold the log from position 0 into scratch tables and compare them with the live tables as of the checkpoint: missing, extra and differing rows by key; exit code 0 when equal, 1 when not',
    )
    .option('--json', 'print the result as JSON')
    .action(projectionsVerify);
  projections
    .command('parked')
    .argument('[name]', 'one projection (default: all)')
    .description(
      'events a projection parked instead of folding (malformed, or its fold threw), with the error',
    )
    .option('--json', 'print JSON')
    .action(projectionsParked);
  projections
    .command('retry')
    .argument('<name>', 'the projection')
    .description(
      'check and fold parked events again into the live tables (one transaction); folded ones leave the list, failing ones stay with attempts + 1 (exit code 1)',
    )
    .option('--position <p>', 'only the event at this position')
    .option('--json', 'print JSON')
    .action(projectionsRetry);
  projections
    .command('discard')
    .argument('<name>', 'the projection')
    .description('remove parked events without folding them')
    .option('--position <p>', 'only the event at this position')
    .option('--json', 'print JSON')
    .action(projectionsDiscard);

  tally
    .command('replay')
    .description(
      'fold the events in (from, to] into scratch tables <table>__replay (live tables untouched): try a fold on real history, find the event it fails on, time it',
    )
    .requiredOption('--from <position>', 'exclusive start position (0: the beginning)')
    .option('--to <position>', 'inclusive end position (default: the head)')
    .option('--projection <name>', 'one projection (default: all)')
    .option('--json', 'print JSON')
    .action(replay);

  tally
    .command('lag')
    .description(
      'lag of the projections, the relay and (with KAFKA_BROKERS) the consumer group per partition',
    )
    .option('--json', 'print JSON')
    .action(lag);

  tally
    .command('kafka')
    .description('the Kafka-mode consumer group')
    .command('take-over')
    .description(
      "move the read tables to another consumer group: rebuild every projection from the log, then hand the stored offsets to the group (its projectors may then start; the old group's are refused)",
    )
    .requiredOption('--group <group>', 'the consumer group that takes the tables over')
    .option('--json', 'print the result as JSON')
    .action(kafkaTakeOver);

  tally
    .command('events')
    .description('the event log')
    .command('tail')
    .description(
      'the last events (of the log, of one stream, of some types or stream categories), then new ones as they commit',
    )
    .option('--stream <id>', 'only this stream (it must exist)')
    .option('--type <types>', 'only events of these types (repeat it or list A,B)', collect)
    .option(
      '--category <categories>',
      "only streams of these categories: a stream id's part before the first '-' (poll, ballot, thread, post, item, reaction, username); repeat it or list a,b",
      collect,
    )
    .option('-n, --limit <n>', 'how many past events to show', '20')
    .option('--no-follow', 'exit after the past events')
    .option('--json', 'one JSON object per line')
    .action(eventsTail);
  return tally;
}

async function main(): Promise<void> {
  try {
    await program().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed what is wrong; any failure of its parsing is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError) {
      console.error(`tally: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(`tally: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

void main();
