import type { Client } from 'pg';
import type { Acknowledged } from './retrying-load';

/**
 * What a load through restarts must leave behind: every acknowledged command in the log
 * exactly once, and in the read models once they caught up — nothing lost, nothing doubled.
 */
const isVote = (a: Acknowledged): boolean => a.command.path.endsWith('/votes');
const isPurchase = (a: Acknowledged): boolean => a.command.path.endsWith('/purchases');

async function readAtLeast(url: string, position: bigint): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${url}?minPosition=${position}`);
    if (response.status === 200) return (await response.json()) as Record<string, unknown>;
    // projection_behind: the projector is still catching up after the restarts.
    if (Date.now() > deadline)
      throw new Error(`${url}: ${response.status} ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads the counts once the projections reached the last acknowledged position. */
export async function expectCountedOnce(
  baseUrl: string,
  acknowledged: readonly Acknowledged[],
  item?: { sku: string; stock: number },
): Promise<{ votes: number; purchases: number }> {
  const votes = acknowledged.filter(isVote);
  const purchases = acknowledged.filter(isPurchase);
  expect(votes.every((a) => a.status === 200 && a.body.changed === true)).toBe(true);
  expect(purchases.every((a) => a.status === 201)).toBe(true);
  const last = acknowledged
    .map((a) => BigInt(String(a.body.position)))
    .reduce((max, p) => (p > max ? p : max), 0n);

  const pollId = String(votes[0]!.body.pollId);
  const poll = await readAtLeast(`${baseUrl}/polls/${pollId}`, last);
  const expected = new Map<string, number>();
  for (const v of votes) {
    const option = String(v.body.optionId);
    expected.set(option, (expected.get(option) ?? 0) + 1);
  }
  const options = poll.options as { optionId: string; votes: number }[];
  expect(Object.fromEntries(options.map((o) => [o.optionId, o.votes]))).toEqual(
    Object.fromEntries(options.map((o) => [o.optionId, expected.get(o.optionId) ?? 0])),
  );
  expect(poll.totalVotes).toBe(votes.length);

  if (item) {
    const stock = await readAtLeast(`${baseUrl}/items/${item.sku}`, last);
    expect(stock).toMatchObject({ sold: purchases.length, stock: item.stock - purchases.length });
  }
  return { votes: votes.length, purchases: purchases.length };
}

/** The log holds one Voted per acknowledged voter and exactly the acknowledged purchases. */
export async function loggedOnce(
  client: Client,
  acknowledged: readonly Acknowledged[],
  scope: { pollId: string; sku: string },
): Promise<void> {
  const { rows: voted } = await client.query<{ voter: string; n: number }>(
    `SELECT data->>'voterId' AS voter, count(*)::int AS n FROM tally_events
      WHERE type = 'Voted' AND data->>'pollId' = $1 GROUP BY 1`,
    [scope.pollId],
  );
  const voters = acknowledged.filter(isVote).map((a) => String(a.body.voterId));
  expect(voted.filter((r) => r.n !== 1)).toEqual([]);
  expect(voted.map((r) => r.voter).sort()).toEqual([...voters].sort());

  const { rows: purchased } = await client.query<{ id: string }>(
    `SELECT data->>'purchaseId' AS id FROM tally_events
      WHERE type = 'Purchased' AND data->>'sku' = $1`,
    [scope.sku],
  );
  const ids = acknowledged.filter(isPurchase).map((a) => String(a.body.purchaseId));
  expect(new Set(ids).size).toBe(ids.length);
  expect(purchased.map((r) => r.id).sort()).toEqual([...ids].sort());
}
