import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';

export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

/**
 * Writes the responses `next` yields to a server-streaming call while the client keeps up
 * (waiting for `drain` when HTTP/2 flow control pushes back), so that a long catch-up neither
 * floods memory nor starves the event loop. `next` returning undefined means "nothing more for
 * now"; the returned function runs the pump again (e.g. after an append).
 */
export function responsePump(call: ReadCall, next: () => ReadResp | undefined): () => void {
  let waiting = false;
  const run = (): void => {
    if (waiting || call.cancelled || call.destroyed || call.writableEnded) return;
    for (let response = next(); response !== undefined; response = next()) {
      if (!call.write(response)) {
        waiting = true;
        call.once('drain', () => {
          waiting = false;
          run();
        });
        return;
      }
    }
  };
  return run;
}
