import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { appendHandler } from './append-handler';
import { EventLog } from './event-log';
import type { LogRecord, ProposedEvent } from './event-log';
import { readHandler } from './read-handler';
import { DEFAULT_MAX_APPEND_SIZE } from './rpc-errors';
import { supportedMethodsHandler } from './server-features';
import { seedSystemEvents } from './system-events';

export interface EsdbTestServerOptions {
  /** Loopback port to listen on; a free one when omitted. */
  readonly port?: number;
  /** Bytes per append (data + metadata + 2 × type length), the server's `MaxAppendSize`. */
  readonly maxAppendSize?: number;
}

export interface EsdbTestServer {
  /** `esdb://127.0.0.1:<port>?tls=false`, for `EventStoreDBClient.connectionString`. */
  readonly url: string;
  readonly port: number;
  /** The in-memory log, for assertions (records in `$all` order). */
  readonly log: EventLog;
  /** Appends directly to the log (any expected revision), bypassing gRPC: seeding, system events. */
  appendRaw(streamId: string, events: readonly RawEvent[]): readonly LogRecord[];
  /** Fault: closes every connection and call (reads, subscriptions, appends in flight fail with
   * UNAVAILABLE/CANCELLED on the client), then listens again on the same port with the same data. */
  dropConnections(): Promise<void>;
  /** Fault: stops listening and drops every connection; `resume` listens again, data kept. */
  halt(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server for good. */
  stop(): Promise<void>;
}

export interface RawEvent {
  readonly type: string;
  readonly data?: unknown;
  readonly id?: string;
}

/**
 * Starts an in-process EventStoreDB stand-in speaking the gRPC protocol of the 23.10 server line
 * (Streams.Read, Streams.Append, ServerFeatures) on 127.0.0.1 without TLS. See README.md here.
 */
export async function startEsdbTestServer(
  options: EsdbTestServerOptions = {},
): Promise<EsdbTestServer> {
  const log = new EventLog();
  seedSystemEvents(log);
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const first = await listen(log, maxAppendSize, options.port ?? 0);
  let server: Server | undefined = first.server;
  const port = first.port;
  const halt = async (): Promise<void> => {
    server?.forceShutdown();
    server = undefined;
    await Promise.resolve();
  };
  const resume = async (): Promise<void> => {
    if (server === undefined) server = (await listen(log, maxAppendSize, port)).server;
  };
  return {
    url: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    log,
    appendRaw: (streamId, events) => {
      const outcome = log.append(streamId, { kind: 'any' }, events.map(toProposed));
      return outcome.kind === 'appended' ? outcome.records : [];
    },
    dropConnections: async () => {
      await halt();
      await resume();
    },
    halt,
    resume,
    stop: halt,
  };
}

function toProposed(event: RawEvent): ProposedEvent {
  return {
    id: event.id ?? '',
    type: event.type,
    contentType: 'application/json',
    data: Buffer.from(JSON.stringify(event.data ?? {}), 'utf8'),
    metadata: new Uint8Array(),
  };
}

function listen(
  log: EventLog,
  maxAppendSize: number,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(StreamsService, {
    read: readHandler(log),
    append: appendHandler(log, maxAppendSize),
  });
  server.addService(ServerFeaturesService, { getSupportedMethods: supportedMethodsHandler });
  return new Promise((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) => {
      if (error) reject(error);
      else resolve({ server, port: bound });
    });
  });
}
