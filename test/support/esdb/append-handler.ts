import type { handleClientStreamingCall } from '@grpc/grpc-js';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventLog, ExpectedRevision, ProposedEvent } from './event-log';
import {
  invalidArgument,
  maxAppendSizeExceeded,
  requiredMetadataPropertyMissing,
} from './rpc-errors';
import { EMPTY, streamNameOf } from './wire-messages';

/**
 * `Streams.Append` (client streaming): the first message holds the options (stream, expected
 * revision), each following one a proposed event. As the server does, the size of every event
 * (data + custom metadata + 2 bytes per character of its type) is added up while the events
 * arrive, and the call fails with INVALID_ARGUMENT `maximum-append-size-exceeded` as soon as the
 * sum passes the maximum; nothing of that append is written. A wrong expected revision is not a
 * gRPC error but a `wrong_expected_version` response carrying the stream's current revision.
 */
export function appendHandler(
  log: EventLog,
  maxAppendSize: number,
): handleClientStreamingCall<AppendReq, AppendResp> {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: Parameters<typeof callback>[0]): void => {
      failed = true;
      callback(error);
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      if (options === undefined) {
        if (!request.hasOptions())
          return fail(invalidArgument('The first message must be options.'));
        options = request.getOptions();
        return;
      }
      const message = request.getProposedMessage();
      if (message === undefined) return fail(invalidArgument('Expected a proposed message.'));
      const type = message.getMetadataMap().get('type');
      if (type === undefined) return fail(requiredMetadataPropertyMissing('type'));
      const contentType = message.getMetadataMap().get('content-type');
      if (contentType === undefined) return fail(requiredMetadataPropertyMissing('content-type'));
      const event: ProposedEvent = {
        id: message.getId()?.getString() ?? '',
        type,
        contentType,
        data: message.getData_asU8(),
        metadata: message.getCustomMetadata_asU8(),
      };
      size += event.data.length + event.metadata.length + type.length * 2;
      if (size > maxAppendSize) return fail(maxAppendSizeExceeded(maxAppendSize));
      events.push(event);
    });
    call.on('error', () => {
      failed = true;
    });
    call.on('end', () => {
      if (failed) return;
      if (options === undefined) return fail(invalidArgument('No options were sent.'));
      const expected = expectedRevisionOf(options);
      const outcome = log.append(streamNameOf(options.getStreamIdentifier()), expected, events);
      callback(null, appendResponse(outcome, expected));
    });
  };
}

function expectedRevisionOf(options: AppendReq.Options): ExpectedRevision {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'exact', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case AppendReq.Options.ExpectedStreamRevisionCase.ANY:
    case AppendReq.Options.ExpectedStreamRevisionCase.EXPECTED_STREAM_REVISION_NOT_SET:
      return { kind: 'any' };
  }
}

function appendResponse(
  outcome: ReturnType<EventLog['append']>,
  expected: ExpectedRevision,
): AppendResp {
  switch (outcome.kind) {
    case 'appended': {
      const success = new AppendResp.Success();
      if (outcome.current < 0n) success.setNoStream(EMPTY);
      else success.setCurrentRevision(outcome.current.toString());
      // The server answers with the commit position of the write: its last event's position.
      const last = outcome.records[outcome.records.length - 1];
      if (last === undefined) success.setNoPosition(EMPTY);
      else
        success.setPosition(
          new AppendResp.Position()
            .setCommitPosition(last.position.toString())
            .setPreparePosition(last.position.toString()),
        );
      return new AppendResp().setSuccess(success);
    }
    case 'wrong_expected_version':
      return new AppendResp().setWrongExpectedVersion(
        wrongExpectedVersion(outcome.current, expected),
      );
  }
}

/** Both the current fields and the deprecated `*_20_6_0` ones, as the server fills them. */
function wrongExpectedVersion(
  current: bigint | 'no_stream',
  expected: ExpectedRevision,
): AppendResp.WrongExpectedVersion {
  const wrong = new AppendResp.WrongExpectedVersion();
  if (current === 'no_stream') wrong.setCurrentNoStream(EMPTY).setNoStream2060(EMPTY);
  else wrong.setCurrentRevision(current.toString()).setCurrentRevision2060(Number(current));
  switch (expected.kind) {
    case 'any':
      return wrong.setExpectedAny(EMPTY).setAny2060(EMPTY);
    case 'stream_exists':
      return wrong.setExpectedStreamExists(EMPTY).setStreamExists2060(EMPTY);
    case 'no_stream':
      return wrong.setExpectedNoStream(EMPTY);
    case 'exact':
      return wrong
        .setExpectedRevision(expected.revision.toString())
        .setExpectedRevision2060(Number(expected.revision));
  }
}
