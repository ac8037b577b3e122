import { EsdbEventStore, type EventStore } from '../../libs/event-store/src';
import type { EventStoreHarness, HarnessFactory } from './event-store.harness';

/** A server to run one harness against: started for it, or shared (then `stop` is a no-op). */
export interface EsdbServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The contract harness of the EventStoreDB store. EventStoreDB has no transaction an append
 * could be held open in and no reader that could be naive about one, and positions are the
 * log's byte offsets: those capabilities are off, everything else is held to the contract.
 */
export function esdbHarness(server: () => Promise<EsdbServer>): HarnessFactory {
  const factory: HarnessFactory = async ({ pollIntervalMs }) => {
    const { url, stop } = await server();
    const store = new EsdbEventStore({ url, pollIntervalMs });
    const harness: EventStoreHarness = {
      store,
      // Nothing to hold open: the append is durable (and visible) when it returns.
      appendHeldOpen: async (streamId, events) => {
        await store.append(streamId, events, 'any');
        return { commit: () => Promise.resolve() };
      },
      naiveReadAll: () => Promise.reject(new Error('no naive reader on EventStoreDB')),
      // There is no silent path: every append reaches the live subscription.
      appendSilently: async (streamId, events) => {
        await store.append(streamId, events, 'any');
      },
      close: async () => {
        await store.close();
        await stop();
      },
    };
    return harness;
  };
  factory.capabilities = { heldOpenAppend: false, naiveReader: false, consecutivePositions: false };
  return factory;
}

/**
 * The store as seen from `base` on: a log that other tests (or anything else) wrote to before
 * looks empty to it. For a real server, whose log is shared by every test of a run; nothing
 * else may write to it meanwhile.
 */
export function viewFrom(store: EventStore, base: bigint): EventStore {
  const after = (position: bigint): bigint => (position < base ? base : position);
  return {
    append: (...args) => store.append(...args),
    readStream: (...args) => store.readStream(...args),
    streamState: (streamId) => store.streamState(streamId),
    readAll: (from, limit) =>
      from < 0n ? store.readAll(from, limit) : store.readAll(after(from), limit),
    headPosition: async () => {
      const head = await store.headPosition();
      return head > base ? head : 0n;
    },
    countEvents: (from, through, options) =>
      store.countEvents(from < 0n ? from : after(from), through, options),
    readAllBackwards: async (through, limit, options) =>
      (await store.readAllBackwards(through, limit, options)).filter((e) => e.position > base),
    subscribeToAll: (from, options) =>
      store.subscribeToAll(from < 0n ? from : after(from), options),
    subscribeToFold: (from, options) =>
      store.subscribeToFold(from < 0n ? from : after(from), options),
    close: () => store.close(),
  };
}
