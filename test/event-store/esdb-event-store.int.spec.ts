import { startEsdbTestServer } from '../support/esdb';
import { describeConcurrencyContract } from './concurrency.contract';
import { describeConditionalAppendContract } from './conditional-append.contract';
import { esdbHarness } from './esdb.harness';
import { describeExpectedRevisionContract } from './expected-revision.contract';
import { describeLogCountsContract } from './log-counts.contract';
import { describeOrderingContract } from './ordering.contract';
import { describePagingAndInputContract } from './paging-and-input.contract';
import { describeSubscriptionContract } from './subscription.contract';

/**
 * The contract against the EventStoreDB adapter through the protocol-level TEST SERVER (the
 * real client over gRPC to an in-process stand-in): this is not a test against EventStoreDB,
 * see esdb-event-store.real.int.spec.ts for that. A fresh server (empty log, with the
 * system records a new node writes) per test.
 */
const testServer = esdbHarness(async () => {
  const server = await startEsdbTestServer();
  return { url: server.url, stop: () => server.stop() };
});

describe('event store contract: EventStoreDB adapter through the protocol test server', () => {
  describeExpectedRevisionContract(testServer);
  describeConcurrencyContract(testServer);
  describePagingAndInputContract(testServer);
  describeSubscriptionContract(testServer);
  describeOrderingContract(testServer);
  describeConditionalAppendContract(testServer);
  describeLogCountsContract(testServer);
});
