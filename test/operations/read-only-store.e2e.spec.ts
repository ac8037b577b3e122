import { connect } from 'node:net';
import { Client } from 'pg';
import { freePort } from '../support/free-port';
import { startPrivateCluster, type PrivateCluster } from '../support/private-postgres';
import { cleanEnv, startService, type ServiceProcess } from '../support/service-process';

const POLL = 'read-only';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function vote(baseUrl: string, voterId: string): Promise<Response> {
  return fetch(`${baseUrl}/polls/${POLL}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `vote-${voterId}` },
    body: JSON.stringify({ voterId, optionId: 'o1' }),
    signal: AbortSignal.timeout(10_000),
  });
}

/** Sends the head and part of a body, then hangs up, as a client that gave up would. */
function hangUpMidBody(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /polls/${POLL}/votes HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"voterId":',
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 100);
    });
    socket.once('error', reject);
  });
}

describe('a store that refuses writes, and a client that hangs up', () => {
  let cluster: PrivateCluster;
  let api: ServiceProcess;
  let admin: Client;
  let port: number;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    port = await freePort();
    api = await startService(
      'apps/api/src/main.js',
      cleanEnv({ DATABASE_URL: cluster.url(), PORT: String(port) }),
      port,
    );
    admin = new Client({ connectionString: cluster.url() });
    await admin.connect();
    // This session stays writable whatever the server's default becomes.
    await admin.query('SET default_transaction_read_only = off');
    const opened = await fetch(`${api.baseUrl}/polls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pollId: POLL, title: 'Read-only', options: ['a', 'b'] }),
    });
    expect(opened.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await api?.stop();
    await cluster?.destroy();
  });

  it('a client hanging up mid-body is not logged as the store being unavailable', async () => {
    for (let i = 0; i < 5; i++) await hangUpMidBody(port);
    await sleep(500);
    expect((await vote(api.baseUrl, 'after-hang-up')).status).toBe(200);
    expect(api.output()).not.toContain('store unavailable');
    expect(api.output()).not.toContain('this is a bug');
  });

  it('answers commands 503 unavailable (read-only) while reads go on, and takes them again after', async () => {
    const { baseUrl } = api;
    const before = await vote(baseUrl, 'before');
    expect(before.status).toBe(200);
    // The projection holds that vote before writes stop (it cannot commit after).
    const folded = ((await before.json()) as { position: string }).position;
    expect((await fetch(`${baseUrl}/polls/${POLL}?minPosition=${folded}`)).status).toBe(200);

    // What an operator does to a database whose disk is about to fill: no more writes.
    await admin.query('ALTER SYSTEM SET default_transaction_read_only = on');
    await admin.query('SELECT pg_reload_conf()');
    await sleep(500);

    const refused = await vote(baseUrl, 'during');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const body = (await refused.json()) as { error: string; message: string; down: string[] };
    expect(body).toMatchObject({ error: 'unavailable', down: ['store'] });
    expect(body.message).toContain('read-only');
    // Reads still answer, at the checkpoint the projection had reached.
    const read = await fetch(`${baseUrl}/polls/${POLL}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ totalVotes: 2 });
    expect((await fetch(`${baseUrl}/health/ready`)).status).toBe(200);
    // Again and again: still a clear 503, nothing written.
    for (let i = 0; i < 3; i++) expect((await vote(baseUrl, 'during')).status).toBe(503);
    const { rows } = await admin.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM tally_events WHERE data->>'voterId' = 'during'",
    );
    expect(rows[0]!.n).toBe(0);

    await admin.query('ALTER SYSTEM RESET default_transaction_read_only');
    await admin.query('SELECT pg_reload_conf()');
    await sleep(500);

    // The client's retry with the same key goes through, once.
    const accepted = await vote(baseUrl, 'during');
    expect(accepted.status).toBe(200);
    const { position } = (await accepted.json()) as { position: string };
    const replayed = await vote(baseUrl, 'during');
    expect(replayed.headers.get('idempotency-replayed')).toBe('true');
    const after = await fetch(`${baseUrl}/polls/${POLL}?minPosition=${position}`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ totalVotes: 3 });
    expect(api.output()).not.toContain('this is a bug');
    expect(api.child.exitCode).toBeNull();
  });
});
