import type { handleServerStreamingCall } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { ReadReq as Req } from '@eventstore/db-client/generated/streams_pb';
import type { AllFilter } from './event-filter';
import { filterFrom } from './event-filter';
import type { EventLog, LogRecord } from './event-log';
import { responsePump } from './response-pump';
import { invalidArgument, unimplemented } from './rpc-errors';
import type { ReadCall } from './response-pump';
import { subscribeToAll } from './all-subscription';
import { eventResponse, streamNameOf, streamNotFoundResponse } from './wire-messages';

/**
 * `Streams.Read` (server streaming): reads of a stream or of `$all`, and subscriptions (the same
 * RPC with `subscription` set). Position semantics, from EventStoreDB's AllReader
 * (src/EventStore.Core/Services/Storage/ReaderIndex/AllReader.cs):
 * - reading `$all` FORWARDS from a position is INCLUSIVE: a record is returned when its own
 *   position is >= the requested one;
 * - reading `$all` BACKWARDS from a position is EXCLUSIVE: a record is returned when its post
 *   position (where the next record starts) is <= the requested one, so the event at that
 *   position itself is not;
 * - reading a stream from a revision is inclusive in both directions.
 */
export function readHandler(log: EventLog): handleServerStreamingCall<ReadReq, ReadResp> {
  return (call) => {
    const options = call.request.getOptions();
    if (options === undefined) {
      call.emit('error', invalidArgument('options are required'));
      return;
    }
    if (options.hasSubscription()) {
      if (options.hasAll()) return subscribeToAll(log, call, options);
      call.emit('error', unimplemented('Stream subscriptions are not modelled.'));
      return;
    }
    const backwards = options.getReadDirection() === Req.Options.ReadDirection.BACKWARDS;
    const maxCount = options.hasCount()
      ? BigInt(options.getCount())
      : BigInt(Number.MAX_SAFE_INTEGER);
    if (options.hasStream())
      return readStream(
        log,
        call,
        options.getStream() as Req.Options.StreamOptions,
        backwards,
        maxCount,
      );
    return readAll(log, call, options, backwards, maxCount);
  };
}

function readStream(
  log: EventLog,
  call: ReadCall,
  stream: Req.Options.StreamOptions,
  backwards: boolean,
  maxCount: bigint,
): void {
  const streamId = streamNameOf(stream.getStreamIdentifier());
  const records = log.streamRecords(streamId);
  if (records === undefined) {
    call.write(streamNotFoundResponse(streamId));
    call.end();
    return;
  }
  const last = records.length - 1;
  // START is revision 0 and END the last revision + 1 (the server's StreamRevision.End), both
  // inclusive; reading backwards from beyond the end starts at the last event.
  const from = stream.hasRevision()
    ? BigInt(stream.getRevision())
    : stream.hasEnd()
      ? BigInt(records.length)
      : 0n;
  let index = Number(backwards && from > BigInt(last) ? BigInt(last) : from);
  const step = backwards ? -1 : 1;
  send(
    call,
    () => {
      const record = records[index];
      index += step;
      return record;
    },
    maxCount,
  );
}

function readAll(
  log: EventLog,
  call: ReadCall,
  options: Req.Options,
  backwards: boolean,
  maxCount: bigint,
): void {
  const all = options.getAll() as Req.Options.AllOptions;
  const records = log.all;
  const filter: AllFilter | undefined = filterFrom(options);
  let index: number;
  if (all.hasPosition()) {
    const position = BigInt((all.getPosition() as Req.Options.Position).getCommitPosition());
    index = log.firstIndexAtOrAfter(position);
    if (backwards) {
      index -= 1;
      while (index >= 0 && (records[index] as LogRecord).postPosition > position) index -= 1;
    }
  } else if (all.hasEnd()) index = backwards ? records.length - 1 : records.length;
  else index = backwards ? -1 : 0;
  const step = backwards ? -1 : 1;
  send(
    call,
    () => {
      for (let record = records[index]; record !== undefined; record = records[index]) {
        index += step;
        if (filter === undefined || filter.matches(record)) return record;
      }
      return undefined;
    },
    maxCount,
  );
}

/** Sends up to `maxCount` records that `next` yields, then ends the call. */
function send(call: ReadCall, next: () => LogRecord | undefined, maxCount: bigint): void {
  let sent = 0n;
  let ended = false;
  const pump = responsePump(call, () => {
    if (ended) return undefined;
    const record = sent < maxCount ? next() : undefined;
    if (record === undefined) {
      ended = true;
      call.end();
      return undefined;
    }
    sent += 1n;
    return eventResponse(record);
  });
  pump();
}
