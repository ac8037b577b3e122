import { startHttpApp, type HttpApp } from '../support/http-app';
import {
  expectRaceAnswers,
  raceVotesAgainstClose,
  readRaceFromLog,
} from '../support/vote-close-race';

/**
 * A vote is decided against its poll (another stream) and appended on condition that the
 * poll did not move: whatever the interleaving, no acknowledged vote follows the close.
 */
describe('1,000 votes racing a close, one API process', () => {
  let app: HttpApp;

  beforeAll(async () => {
    app = await startHttpApp({ TALLY_PG_POOL_SIZE: '40' });
  });

  afterAll(async () => {
    await app.close();
  });

  it.each([1, 2, 3])(
    'round %i: every acknowledged vote precedes PollClosed, every later one is refused, a fold counts exactly the acknowledged',
    async (round) => {
      const pollId = `race-${round}`;
      // The close goes out with 600 votes still to send, after 400 have started.
      const race = await raceVotesAgainstClose(() => app.baseUrl, pollId);
      const { accepted, closedAt } = expectRaceAnswers(race);

      const log = await readRaceFromLog(app.db.pool, app.store, pollId);
      expect(log.closedAt).toBe(closedAt);
      expect(log.voted).toHaveLength(accepted.length);
      expect(log.voted.every((position) => position < closedAt)).toBe(true);
      expect(log.foldedTotal).toBe(accepted.length);
    },
  );
});
