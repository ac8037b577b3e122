import { describeConcurrencyContract } from './concurrency.contract';
import { describeConditionalAppendContract } from './conditional-append.contract';
import { describeExpectedRevisionContract } from './expected-revision.contract';
import { describeLogCountsContract } from './log-counts.contract';
import { describeOrderingContract } from './ordering.contract';
import { describePagingAndInputContract } from './paging-and-input.contract';
import { postgresHarness } from './postgres.harness';
import { describeSubscriptionContract } from './subscription.contract';

describe('event store contract: PostgreSQL adapter', () => {
  describeExpectedRevisionContract(postgresHarness);
  describeConcurrencyContract(postgresHarness);
  describePagingAndInputContract(postgresHarness);
  describeSubscriptionContract(postgresHarness);
  describeOrderingContract(postgresHarness);
  describeConditionalAppendContract(postgresHarness);
  describeLogCountsContract(postgresHarness);
});
