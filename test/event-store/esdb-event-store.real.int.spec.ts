import { EsdbEventStore } from '../../libs/event-store/src';
import { describeConcurrencyContract } from './concurrency.contract';
import { describeConditionalAppendContract } from './conditional-append.contract';
import type { EventStoreHarness, HarnessFactory } from './event-store.harness';
import { esdbHarness, viewFrom } from './esdb.harness';
import { describeExpectedRevisionContract } from './expected-revision.contract';
import { describeOrderingContract } from './ordering.contract';
import { describePagingAndInputContract } from './paging-and-input.contract';
import { describeSubscriptionContract } from './subscription.contract';

/**
 * The contract against a REAL EventStoreDB (e.g. `docker compose --profile eventstore up
 * eventstore`, then EVENTSTORE_URL=esdb://127.0.0.1:2113?tls=false). Skipped without one.
 * The server's log is shared by every test: each harness sees it from the head it found.
 */
const url = process.env.EVENTSTORE_URL;

const realServer: HarnessFactory = (() => {
  const base = esdbHarness(() => Promise.resolve({ url: url!, stop: () => Promise.resolve() }));
  const factory: HarnessFactory = async (options) => {
    const harness: EventStoreHarness = await base(options);
    const head = await harness.store.headPosition();
    return { ...harness, store: viewFrom(harness.store, head) };
  };
  factory.capabilities = base.capabilities;
  return factory;
})();

if (url) {
  describe('event store contract: EventStoreDB adapter against a real EventStoreDB', () => {
    beforeAll(async () => {
      const store = new EsdbEventStore({ url });
      await store.headPosition().finally(() => store.close());
    });
    describeExpectedRevisionContract(realServer);
    describeConcurrencyContract(realServer);
    describePagingAndInputContract(realServer);
    describeSubscriptionContract(realServer);
    describeOrderingContract(realServer);
    describeConditionalAppendContract(realServer);
  });
} else {
  describe('event store contract: EventStoreDB adapter against a real EventStoreDB', () => {
    it.skip('needs EVENTSTORE_URL (e.g. esdb://127.0.0.1:2113?tls=false)', () => undefined);
    beforeAll(() => {
      process.stdout.write(
        'skipped: the contract against a real EventStoreDB runs only with EVENTSTORE_URL set\n',
      );
    });
  });
}
