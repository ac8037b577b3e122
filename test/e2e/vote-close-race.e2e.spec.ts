import { allMigrations } from '../../apps/shared/src/all-migrations';
import { PostgresEventStore } from '../../libs/event-store/src';
import { startApiProcesses, type ServiceProcess } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import {
  expectRaceAnswers,
  raceVotesAgainstClose,
  readRaceFromLog,
} from '../support/vote-close-race';

/**
 * Two API processes each remember the poll as open; the close goes through one of them.
 * The other learns of it only from its appends' condition on the poll stream.
 */
describe('1,000 votes racing a close across two API processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let workers: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(allMigrations());
    store = new PostgresEventStore({ pool: db.pool, url: db.url });
    workers = await startApiProcesses(db.url, 2);
  });

  afterAll(async () => {
    const codes = await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    await store.close();
    await db.drop();
    expect(codes).toEqual([0, 0]);
  });

  it.each([1, 2])(
    'round %i: no acknowledged vote follows PollClosed in the log; a fold counts exactly the acknowledged',
    async (round) => {
      const pollId = `mp-race-${round}`;
      const via = (i: number): string => workers[i % 2]!.baseUrl;
      const { accepted, closedAt } = expectRaceAnswers(await raceVotesAgainstClose(via, pollId));

      const log = await readRaceFromLog(db.pool, store, pollId);
      expect(log.voted).toHaveLength(accepted.length);
      expect(log.voted.every((position) => position < closedAt)).toBe(true);
      expect(log.foldedTotal).toBe(accepted.length);
    },
  );
});
