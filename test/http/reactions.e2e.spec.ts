import { call, countBy, startHttpApp, type HttpApp } from '../support/http-app';

type ToggledData = { active: boolean };

describe('reactions over HTTP on real PostgreSQL', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const path = (postId: string, type: string, userId: string) =>
    `/posts/${postId}/reactions/${type}/${userId}`;
  const put = (postId: string, body: unknown, headers: Record<string, string> = {}) =>
    call(app.baseUrl, 'PUT', path(postId, 'like', 'u1'), body, headers);
  const counts = async (postId: string, minPosition: unknown) =>
    (
      await call(
        app.baseUrl,
        'GET',
        `/posts/${postId}/reactions?minPosition=${String(minPosition)}`,
      )
    ).body.counts;
  const toggle = (postId: string, headers: Record<string, string> = {}, body?: unknown) =>
    call(app.baseUrl, 'POST', `${path(postId, 'like', 'u1')}/toggle`, body, headers);
  const events = (postId: string) =>
    app.store.readStream(`reaction-${postId}|like|u1`, { maxCount: 1000 });

  it('a double click: 100 identical PUT {active:true} at once → one ReactionToggled, one changed:true reply', async () => {
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => put('p1', { active: true })),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 100 });
    expect(countBy(replies, (r) => String(r.body.changed))).toEqual({ true: 1, false: 99 });
    const changed = replies.find((r) => r.body.changed === true);
    for (const r of replies) {
      expect(r.body).toMatchObject({ postId: 'p1', type: 'like', userId: 'u1', active: true });
      expect(r.body).toMatchObject({ revision: 0, position: changed?.body.position });
    }
    const stored = await events('p1');
    expect(stored.map((e) => [e.type, (e.data as ToggledData).active])).toEqual([
      ['ReactionToggled', true],
    ]);
    expect(stored[0]?.position.toString()).toBe(changed?.body.position);
  });

  it('PUT of the state already held → changed:false and nothing appended; PUT off → changed:true', async () => {
    const off = await put('p2', { active: false });
    expect(off).toMatchObject({
      status: 200,
      body: { active: false, changed: false, revision: -1, position: '0' },
    });
    expect(await put('p2', { active: true })).toMatchObject({
      body: { changed: true, revision: 0 },
    });
    expect(await put('p2', { active: false })).toMatchObject({
      body: { active: false, changed: true, revision: 1 },
    });
    expect(await events('p2')).toHaveLength(2);
  });

  it('100 toggles at once → exactly 100 events alternating on/off, ending active', async () => {
    const replies = await Promise.all(Array.from({ length: 100 }, () => toggle('p3')));
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 100 });
    expect(new Set(replies.map((r) => r.body.revision)).size).toBe(100);
    for (const r of replies) expect(r.body.active).toBe((r.body.revision as number) % 2 === 0);
    const stored = await events('p3');
    expect(stored).toHaveLength(100);
    stored.forEach((e, i) => expect((e.data as ToggledData).active).toBe(i % 2 === 0));
    expect((stored.at(-1)?.data as ToggledData).active).toBe(100 % 2 === 1);
  });

  it('50 toggles at once all with If-Match "0" on a stream at revision 0 → one 200, 49 412 revision_mismatch, one event', async () => {
    expect((await put('p4', { active: true })).body.revision).toBe(0);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => toggle('p4', { 'If-Match': i % 2 ? '"0"' : '0' })),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 1, 412: 49 });
    expect(replies.find((r) => r.status === 200)?.body).toMatchObject({
      active: false,
      revision: 1,
    });
    for (const r of replies.filter((x) => x.status === 412)) {
      expect(r.body).toMatchObject({ error: 'revision_mismatch', currentRevision: 1 });
    }
    expect(await events('p4')).toHaveLength(2);
  });

  it('If-Match on a reaction never set: "0" → 412 with currentRevision -1; without it the toggle is accepted', async () => {
    expect(await toggle('p5', { 'If-Match': '"0"' })).toMatchObject({
      status: 412,
      body: { error: 'revision_mismatch', currentRevision: -1 },
    });
    expect(await toggle('p5', {}, {})).toMatchObject({
      status: 200,
      body: { postId: 'p5', active: true, revision: 0 },
    });
    expect(await toggle('p5', { 'If-Match': '"0"' })).toMatchObject({
      status: 200,
      body: { active: false, revision: 1 },
    });
    expect(await events('p5')).toHaveLength(2);
  });

  it('PUT with If-Match: the current revision is applied; a stale one is 412 and changes nothing', async () => {
    expect(await put('pm1', { active: true }, { 'If-Match': '"-1"' })).toMatchObject({
      status: 400,
      body: { error: 'validation_failed', details: [{ field: 'If-Match' }] },
    });
    const first = await put('pm1', { active: true }, { 'If-Match': '"0"' });
    expect(first).toMatchObject({
      status: 412,
      body: { error: 'revision_mismatch', currentRevision: -1 },
    });
    expect(await events('pm1')).toEqual([]);
    const on = await put('pm1', { active: true });
    expect(on.body).toMatchObject({ active: true, changed: true, revision: 0 });
    const off = await put('pm1', { active: false }, { 'If-Match': '"0"' });
    expect(off).toMatchObject({ status: 200, body: { active: false, changed: true, revision: 1 } });
    const seen = await counts('pm1', off.body.position);
    expect(seen).toEqual({});
    // Stale: asks for a change, or for the state already held; neither is applied.
    for (const active of [true, false]) {
      expect(await put('pm1', { active }, { 'If-Match': '0' })).toMatchObject({
        status: 412,
        body: { error: 'revision_mismatch', currentRevision: 1 },
      });
    }
    expect(await events('pm1')).toHaveLength(2);
    expect(await counts('pm1', off.body.position)).toEqual(seen);
    expect(await put('pm1', { active: false }, { 'If-Match': '"1"' })).toMatchObject({
      status: 200,
      body: { active: false, changed: false, revision: 1 },
    });
  });

  it('30 PUTs at once with If-Match "0" on a stream at revision 0 → one 200, 29 412, one event more', async () => {
    expect((await put('pm2', { active: true })).body.revision).toBe(0);
    const replies = await Promise.all(
      Array.from({ length: 30 }, () => put('pm2', { active: false }, { 'If-Match': '"0"' })),
    );
    // The first applies (revision 1); every later one names a revision no longer current.
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 1, 412: 29 });
    expect(await events('pm2')).toHaveLength(2);
  });

  it.each(['W/"0"', '*', '"-1"', '"1.5"', 'abc', '"0', '"0", "1"', '', '99999999999999999999'])(
    'a malformed If-Match %j → 400 validation_failed naming If-Match, nothing appended',
    async (ifMatch) => {
      const reply = await toggle('p6', { 'If-Match': ifMatch });
      expect(reply).toMatchObject({
        status: 400,
        body: { error: 'validation_failed', details: [{ field: 'If-Match' }] },
      });
      expect(await events('p6')).toEqual([]);
    },
  );

  it.each([
    ['the string "true"', { active: 'true' }],
    ['a number', { active: 1 }],
    ['null', { active: null }],
    ['no field', {}],
    ['an unknown field', { active: true, weight: 2 }],
    ['an array body', [true]],
    ['a null body', null],
  ])('PUT with %s → 400 validation_failed, nothing appended', async (_case, body) => {
    expect(await put('p7', body)).toMatchObject({
      status: 400,
      body: { error: 'validation_failed' },
    });
    expect(await events('p7')).toEqual([]);
  });

  it.each([
    ['an uppercase type', path('p8', 'Like', 'u1')],
    ['a type starting with a digit', path('p8', '1like', 'u1')],
    ['a 33-character type', path('p8', 'a'.repeat(33), 'u1')],
    ['a pipe in the postId', path('p8%7Cx', 'like', 'u1')],
    ['a quote in the userId', path('p8', 'like', "u1'%20OR%201=1")],
    ['a 65-character userId', path('p8', 'like', 'u'.repeat(65))],
  ])('a reaction with %s → 400 validation_failed', async (_case, url) => {
    const replies = await Promise.all([
      call(app.baseUrl, 'PUT', url, { active: true }),
      call(app.baseUrl, 'POST', `${url}/toggle`),
    ]);
    for (const r of replies)
      expect(r).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
  });
});
