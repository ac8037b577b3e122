import { randomUUID } from 'node:crypto';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { filterFrom } from './event-filter';
import type { EventLog } from './event-log';
import { responsePump } from './response-pump';
import type { ReadCall } from './response-pump';
import {
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  eventResponse,
} from './wire-messages';

/**
 * A catch-up subscription to `$all`, modelled on EventStoreDB's Enumerator.AllSubscription and
 * Enumerator.AllSubscriptionFiltered (src/EventStore.Core/Services/Transport/Enumerators/):
 * - the first message is the confirmation (a subscription id);
 * - the start position is EXCLUSIVE: the server keeps the last position sent towards the client
 *   ("we should send on events _after_ this") and skips every event whose position is <= it, so
 *   subscribing from an event's position delivers the events after it. START means before the
 *   first record; END means the log's end at the time of subscribing (the last indexed position);
 * - after the catch-up (events already in the log) comes `caughtUp`, then live events, in order
 *   and without gap or duplicate (here catch-up and live are one cursor over the log);
 * - with a filter, checkpoints are sent after every `checkpointInterval` considered events
 *   (matching or not), at the position of the last considered event, during catch-up and live;
 *   when a catch-up from behind the end reaches the end, a checkpoint is sent before `caughtUp`.
 * `fellBehind` is never sent: this server has no bounded live buffer to overflow.
 */
export function subscribeToAll(log: EventLog, call: ReadCall, options: ReadReq.Options): void {
  const all = options.getAll() as ReadReq.Options.AllOptions;
  const filter = filterFrom(options);
  const start = all.hasPosition()
    ? BigInt(all.getPosition()?.getCommitPosition() ?? '0')
    : all.hasEnd()
      ? log.endPosition
      : -1n;
  const startedBehind = start < log.endPosition;
  let index = log.firstIndexAtOrAfter(start + 1n);
  let lastConsidered = start;
  let considered = 0;
  let caughtUp = false;
  const pending: ReadResp[] = [confirmationResponse(randomUUID())];

  const step = (): boolean => {
    const record = log.all[index];
    if (record === undefined) {
      if (caughtUp) return false;
      caughtUp = true;
      if (filter !== undefined && startedBehind) {
        pending.push(checkpointResponse(lastConsidered > 0n ? lastConsidered : 0n));
      }
      pending.push(caughtUpResponse());
      considered = 0; // the live side counts its own interval, as the subscription service does
      return true;
    }
    index += 1;
    lastConsidered = record.position;
    if (filter === undefined || filter.matches(record)) pending.push(eventResponse(record));
    if (filter !== undefined && ++considered >= filter.checkpointInterval) {
      considered = 0;
      pending.push(checkpointResponse(record.position));
    }
    return true;
  };

  const pump = responsePump(call, () => {
    while (pending.length === 0) if (!step()) return undefined;
    return pending.shift();
  });
  const unsubscribe = log.onAppended(pump);
  call.on('cancelled', unsubscribe);
  call.on('close', unsubscribe);
  call.on('error', unsubscribe);
  pump();
}
