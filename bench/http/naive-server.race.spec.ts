import { randomInt } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database';
import type { HttpTarget } from './cell';
import type { Answers } from './load';
import { naiveHttp } from './naive-cell';

// Spawns dist/bench/http/naive-server.js: run `npm run build` first.
const OPTIONS = ['o1', 'o2', 'o3', 'o4'];

/** Every vote of the file, for the bench's own check at the end. */
const answers: Answers = { sent: 0, accepted: 0, refused: 0 };

async function vote(target: HttpTarget, pollId: string, voterId: string, optionId: string) {
  answers.sent++;
  const response = await fetch(`${target.baseUrl}/polls/${pollId}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ voterId, optionId }),
  });
  const body = await response.text();
  if (response.status === 200) {
    answers.accepted++;
    target.accept(body);
  } else answers.refused++;
  return { status: response.status, body: JSON.parse(body) as Record<string, unknown> };
}

const optionCounts = async (pool: Pool) =>
  (
    await pool.query<{ option_id: string; votes: string; ballots: string }>(
      `SELECT o.option_id, o.votes::text,
              (SELECT count(*) FROM ballots b WHERE b.poll_id = o.poll_id AND b.option_id = o.option_id)::text AS ballots
         FROM options o WHERE o.poll_id = 'p1' ORDER BY o.option_id`,
    )
  ).rows;

describe('the naive HTTP vote server the bench compares Tally with', () => {
  let db: TestDatabase;
  let target: HttpTarget;

  beforeAll(async () => {
    db = await createTestDatabase([], 4);
    target = await naiveHttp.start(db.url, {
      name: 'spread-votes',
      polls: ['p1'],
      next: () => ({ pollId: 'p1', voterId: 'v', optionId: 'o1' }),
    });
  });

  afterAll(async () => {
    await target?.stop();
    await db?.drop();
  });

  it('answers unknown options 404 and a vote for the held option unchanged', async () => {
    expect((await vote(target, 'p1', 'solo', 'o9')).status).toBe(404);
    expect((await vote(target, 'p1', 'solo', 'o2')).body).toMatchObject({
      changed: true,
      previousOptionId: null,
    });
    expect((await vote(target, 'p1', 'solo', 'o2')).body).toMatchObject({ changed: false });
    expect((await vote(target, 'p1', 'solo', 'o3')).body).toMatchObject({
      changed: true,
      previousOptionId: 'o2',
    });
    const bad = await fetch(`${target.baseUrl}/polls/p1/votes`, {
      method: 'POST',
      body: '{"voterId":',
    });
    expect(bad.status).toBe(400);
  });

  it('keeps every count equal to its ballots under racing votes, repeat voters included', async () => {
    // 40 voters race one another; each also races its own votes (8 at once), which moves its
    // ballot between options concurrently: the case a stale "previous option" would miscount.
    const voters = Array.from({ length: 40 }, (_, i) => `racer-${i}`);
    const replies = await Promise.all(
      voters.flatMap((voter) =>
        Array.from({ length: 8 }, () =>
          vote(target, 'p1', voter, OPTIONS[randomInt(OPTIONS.length)] ?? 'o1'),
        ),
      ),
    );
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    for (const row of await optionCounts(db.pool)) expect(row.votes).toBe(row.ballots);
    const { rows } = await db.pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM ballots WHERE voter_id LIKE 'racer-%'",
    );
    expect(Number(rows[0]?.n)).toBe(voters.length);
  });

  it('ends with each voter on the option of its last vote when its votes come one after another', async () => {
    const last = new Map<string, string>();
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        for (let n = 0; n < 6; n++) {
          const option = OPTIONS[randomInt(OPTIONS.length)] ?? 'o1';
          expect((await vote(target, 'p1', `serial-${i}`, option)).status).toBe(200);
          last.set(`serial-${i}`, option);
        }
      }),
    );
    const { rows } = await db.pool.query<{ voter_id: string; option_id: string }>(
      "SELECT voter_id, option_id FROM ballots WHERE voter_id LIKE 'serial-%'",
    );
    expect(new Map(rows.map((r) => [r.voter_id, r.option_id]))).toEqual(last);
    for (const row of await optionCounts(db.pool)) expect(row.votes).toBe(row.ballots);
  });

  it("passes the bench's own check once stopped", async () => {
    const check = await target.check(answers);
    expect(check.problems).toEqual([]);
    expect(check.lost).toBe(0);
    expect(check.detail).toMatchObject({ ballots: 81, acknowledgedBallots: 81, unanswered: 0 });
  });
});
