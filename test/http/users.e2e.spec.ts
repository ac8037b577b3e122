import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/create-app';
import { createLogger, loadConfig } from '../../libs/infra/src';
import { ADMIN_TOKEN, call, countBy, startHttpApp, type HttpApp } from '../support/http-app';

const aUuid: unknown = expect.stringMatching(
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
);
const aPosition: unknown = expect.stringMatching(/^\d+$/);

/** The i-th letter-case variant of `name`: bit k of i upper-cases letter k. */
const caseVariant = (name: string, i: number): string =>
  [...name].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c)).join('');

describe('users over HTTP on real PostgreSQL', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const register = (username: unknown, baseUrl = app.baseUrl) =>
    call(baseUrl, 'POST', '/users', { username });

  const eventCount = async (): Promise<number> =>
    Number(
      (await app.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM tally_events')).rows[0]?.n,
    );

  it('when 60 people register "alice" in mixed letter case at once → exactly one 201, 59 username_taken, one UsernameClaimed', async () => {
    const names = Array.from({ length: 60 }, (_, i) => caseVariant('alice', i % 32));
    expect(new Set(names).size).toBe(32);
    const replies = await Promise.all(names.map((name) => register(name)));
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 1, 409: 59 });
    for (const r of replies.filter((x) => x.status === 409)) {
      expect(r.body).toMatchObject({ error: 'username_taken' });
    }
    const index = replies.findIndex((r) => r.status === 201);
    const winner = replies[index];
    expect(winner?.body).toEqual({
      userId: aUuid,
      username: names[index],
      position: aPosition,
    });
    const events = await app.store.readStream('username-alice');
    expect(events.map((e) => e.type)).toEqual(['UsernameClaimed']);
    expect(events[0]?.data).toMatchObject({
      userId: winner?.body.userId,
      username: names[index],
      normalized: 'alice',
    });
    expect(events[0]?.position.toString()).toBe(winner?.body.position);
  });

  it('a name taken earlier is refused later in any letter case', async () => {
    expect((await register('Bob.Builder')).status).toBe(201);
    for (const name of ['bob.builder', 'BOB.BUILDER', 'Bob.Builder']) {
      expect(await register(name)).toMatchObject({
        status: 409,
        body: { error: 'username_taken', username: name },
      });
    }
    expect(await app.store.readStream('username-bob.builder')).toHaveLength(1);
  });

  it('when 200 people register 200 different names at once → 200 created, one UsernameClaimed each', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `user_${i}`);
    const replies = await Promise.all(names.map((name) => register(name)));
    expect(countBy(replies, (r) => r.status)).toEqual({ 201: 200 });
    expect(new Set(replies.map((r) => r.body.userId)).size).toBe(200);
    const streams = await Promise.all(
      names.map((name) => app.store.readStream(`username-${name}`)),
    );
    streams.forEach((events, i) => {
      expect(events).toHaveLength(1);
      expect(events[0]?.data).toMatchObject({
        username: names[i],
        userId: replies[i]?.body.userId,
      });
    });
  });

  describe('with a second server instance on the same database', () => {
    let other: NestFastifyApplication;
    let otherUrl = '';
    beforeAll(async () => {
      const config = loadConfig({
        DATABASE_URL: app.db.url,
        TALLY_ADMIN_TOKEN: ADMIN_TOKEN,
        TALLY_PG_POOL_SIZE: '30',
      });
      other = await createApp(config, createLogger('silent'));
      await other.listen(0, '127.0.0.1');
      const address = other.getHttpServer().address();
      otherUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => {
      await other.close();
    });

    it('when both instances race 60 registrations of one name → exactly one 201 and 59 username_taken, never 500', async () => {
      const replies = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          register(caseVariant('carol', i % 32), i % 2 === 0 ? app.baseUrl : otherUrl),
        ),
      );
      expect(countBy(replies, (r) => r.status)).toEqual({ 201: 1, 409: 59 });
      for (const r of replies.filter((x) => x.status === 409)) {
        expect(r.body).toMatchObject({ error: 'username_taken' });
      }
      expect(await app.store.readStream('username-carol')).toHaveLength(1);
    });
  });

  it.each([
    ['too short (2 characters)', 'ab'],
    ['too long (33 characters)', 'a'.repeat(33)],
    ['that is empty', ''],
    ['with a space', 'al ice'],
    ['with a trailing newline', 'alice\n'],
    ['with unicode letters', 'ålice'],
    ['in fullwidth look-alike letters', 'ａｌｉｃｅ'],
    ['with an emoji', 'al😀ce'],
    ['that is a path', '../etc'],
    ['with slashes', 'a/b/c'],
    ['that is an SQL injection', "x' OR '1'='1"],
    ['that is a DROP TABLE injection', "bob'); DROP TABLE tally_events;--"],
    ['with a NUL character', 'ali\u0000ce'],
    ['that is a number', 12345],
    ['that is null', null],
    ['that is an array', ['alice']],
    ['that is an operator object', { $ne: null }],
  ])(
    'a username %s → 400 validation_failed on username, nothing appended',
    async (_name, username) => {
      const before = await eventCount();
      const reply = await register(username);
      expect(reply).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
      expect(reply.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'username' })]),
      );
      expect(await eventCount()).toBe(before);
    },
  );

  it.each([
    ['no username at all', {}, 'username'],
    ['an extra field', { username: 'dave', admin: true }, 'admin'],
    ['an array body', [{ username: 'dave' }], 'body'],
    ['a null body', 'null', 'body'],
    ['broken JSON', '{"username":', undefined],
  ])('%s → 400 validation_failed with details, nothing appended', async (_name, body, field) => {
    const before = await eventCount();
    const reply = await call(app.baseUrl, 'POST', '/users', body);
    expect(reply).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    // Broken JSON is refused by the HTTP layer before any field is known.
    const problem: unknown =
      field === undefined ? expect.anything() : expect.objectContaining({ field });
    expect(reply.body.details).toEqual(expect.arrayContaining([problem]));
    expect(await eventCount()).toBe(before);
  });
});
