import type { RecordedEvent } from '../../libs/event-store/src';
import { admin, call, countBy, startHttpApp, type HttpApp } from '../support/http-app';

type VotedData = { optionId: string; previousOptionId: string | null; voterId: string };

describe('polls and votes over HTTP on real PostgreSQL', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(app.baseUrl, 'POST', path, body, headers);
  const vote = (pollId: string, voterId: string, optionId: string) =>
    post(`/polls/${pollId}/votes`, { voterId, optionId });
  const openPoll = async (pollId: string) => {
    const reply = await post('/polls', { pollId, title: 'Lunch?', options: ['Pizza', 'Sushi'] });
    expect(reply.status).toBe(201);
  };
  // Ballot streams are found in the stream table: readAll's visibility bound waits for every
  // transaction on the server, other test files' too. Their events are read through the store.
  const ballotEvents = async (pollId: string): Promise<RecordedEvent[]> => {
    const { rows } = await app.db.pool.query<{ stream_id: string }>(
      'SELECT stream_id FROM tally_streams WHERE starts_with(stream_id, $1) ORDER BY stream_id',
      [`ballot-${pollId}|`],
    );
    const streams = await Promise.all(
      rows.map((row) => app.store.readStream(row.stream_id, { maxCount: 1000 })),
    );
    return streams.flat();
  };

  it('opening a poll → 201 with generated o1..oN option ids; the same pollId again → 409 poll_exists', async () => {
    const reply = await post('/polls', { pollId: 'lunch', title: 'Lunch?', options: ['A', 'B'] });
    const options = [
      { optionId: 'o1', text: 'A' },
      { optionId: 'o2', text: 'B' },
    ];
    const body = { pollId: 'lunch', title: 'Lunch?', options, revision: 0 };
    expect(reply).toMatchObject({ status: 201, body });
    expect(reply.body.position).toMatch(/^[1-9]\d*$/);
    const again = await post('/polls', { pollId: 'lunch', title: 'Again', options: ['C', 'D'] });
    expect(again).toMatchObject({ status: 409, body: { error: 'poll_exists', pollId: 'lunch' } });
    expect(await app.store.readStream('poll-lunch')).toHaveLength(1);
  });

  it('opening a poll without a pollId → a UUID is generated', async () => {
    const reply = await post('/polls', { title: 'Which?', options: ['A', 'B', 'C'] });
    expect(reply.status).toBe(201);
    expect(reply.body.pollId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    ['one option', { title: 't', options: ['A'] }],
    ['21 options', { title: 't', options: Array.from({ length: 21 }, (_, i) => `o${i}`) }],
    ['a repeated option text', { title: 't', options: ['A', 'A'] }],
    ['an empty option text', { title: 't', options: ['A', ''] }],
    ['an option of 201 characters', { title: 't', options: ['A', 'x'.repeat(201)] }],
    ['a non-string option', { title: 't', options: ['A', 2] }],
    ['an empty title', { title: '', options: ['A', 'B'] }],
    ['a null pollId', { title: 't', options: ['A', 'B'], pollId: null }],
    ['a pollId with a pipe', { title: 't', options: ['A', 'B'], pollId: 'a|b' }],
    ['an unknown field', { title: 't', options: ['A', 'B'], votes: 5 }],
  ])('opening a poll with %s → 400 validation_failed', async (_case, body) => {
    const reply = await post('/polls', body);
    expect(reply).toMatchObject({ status: 400, body: { error: 'validation_failed' } });
    expect(Array.isArray(reply.body.details)).toBe(true);
  });

  it('300 distinct voters voting at once → every reply 200 and exactly 300 Voted events', async () => {
    await openPoll('crowd');
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) => vote('crowd', `v${i}`, i % 3 === 0 ? 'o2' : 'o1')),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 300 });
    for (const r of replies) {
      expect(r.body).toMatchObject({ changed: true, previousOptionId: null, revision: 0 });
    }
    const events = await ballotEvents('crowd');
    expect(countBy(events, (e) => e.type)).toEqual({ Voted: 300 });
    expect(new Set(events.map((e) => e.streamId)).size).toBe(300);
    expect(countBy(events, (e) => (e.data as VotedData).optionId)).toEqual({ o1: 200, o2: 100 });
  });

  it('one voter changing their vote 50 times at once → one ballot whose events chain and match the changed replies', async () => {
    await openPoll('fickle');
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => vote('fickle', 'alice', i % 2 === 0 ? 'o1' : 'o2')),
    );
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 50 });
    const events = await ballotEvents('fickle');
    expect(new Set(events.map((e) => e.streamId))).toEqual(new Set(['ballot-fickle|alice']));
    const changed = replies.filter((r) => r.body.changed === true);
    expect(events).toHaveLength(changed.length);
    let previous: string | null = null;
    for (const event of events) {
      const data = event.data as VotedData;
      expect(event.type).toBe('Voted');
      expect(data.previousOptionId).toBe(previous);
      expect(data.optionId).not.toBe(previous);
      previous = data.optionId;
    }
    for (const r of changed) {
      const event = events[r.body.revision as number];
      expect(event?.position.toString()).toBe(r.body.position);
      expect(event?.data).toMatchObject({
        optionId: r.body.optionId,
        previousOptionId: r.body.previousOptionId,
      });
    }
    for (const r of replies.filter((x) => x.body.changed === false)) {
      expect(r.body.previousOptionId).toBe(r.body.optionId);
      expect(r.body.revision as number).toBeLessThan(events.length);
    }
    const final = await vote('fickle', 'alice', previous ?? 'none');
    expect(final.body).toMatchObject({ changed: false, revision: events.length - 1 });
    expect(await ballotEvents('fickle')).toHaveLength(events.length);
  });

  it('voting on a closed poll → 409 poll_closed and nothing appended; closing needs the admin token', async () => {
    await openPoll('closing');
    expect((await vote('closing', 'early', 'o1')).status).toBe(200);
    const anonymous = await post('/polls/closing/close');
    expect(anonymous).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    const closed = await post('/polls/closing/close', undefined, admin);
    expect(closed).toMatchObject({
      status: 200,
      body: { pollId: 'closing', closed: true, revision: 1 },
    });
    const twice = await post('/polls/closing/close', undefined, admin);
    expect(twice).toMatchObject({
      status: 200,
      body: { revision: 1, position: closed.body.position },
    });
    const late = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => vote('closing', `late${i}`, 'o1')),
      vote('closing', 'early', 'o2'),
      call(app.baseUrl, 'DELETE', '/polls/closing/votes/early'),
    ]);
    expect(countBy(late, (r) => r.status)).toEqual({ 409: 42 });
    for (const r of late) expect(r.body).toMatchObject({ error: 'poll_closed', pollId: 'closing' });
    expect(await ballotEvents('closing')).toHaveLength(1);
    expect(await app.store.readStream('poll-closing')).toHaveLength(2);
  });

  it('unknown poll → 404 poll_not_found; unknown option → 404 option_not_found; nothing appended', async () => {
    await openPoll('known');
    expect(await vote('nope', 'v1', 'o1')).toMatchObject({
      status: 404,
      body: { error: 'poll_not_found', pollId: 'nope' },
    });
    expect(await vote('known', 'v1', 'o3')).toMatchObject({
      status: 404,
      body: { error: 'option_not_found', pollId: 'known', optionId: 'o3' },
    });
    expect(await call(app.baseUrl, 'DELETE', '/polls/nope/votes/v1')).toMatchObject({
      status: 404,
      body: { error: 'poll_not_found' },
    });
    expect(await post('/polls/nope/close', undefined, admin)).toMatchObject({
      status: 404,
      body: { error: 'poll_not_found' },
    });
    expect(await ballotEvents('known')).toEqual([]);
    expect(await ballotEvents('nope')).toEqual([]);
  });

  it('100 voters vote, then 40 of them retract at once twice over → 60 ballots hold a vote', async () => {
    await openPoll('retracting');
    const votes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => vote('retracting', `v${i}`, 'o1')),
    );
    expect(countBy(votes, (r) => r.status)).toEqual({ 200: 100 });
    const retract = (i: number) => call(app.baseUrl, 'DELETE', `/polls/retracting/votes/v${i}`);
    const replies = await Promise.all(Array.from({ length: 80 }, (_, i) => retract(i % 40)));
    expect(countBy(replies, (r) => r.status)).toEqual({ 200: 80 });
    expect(countBy(replies, (r) => String(r.body.retracted))).toEqual({ true: 40, false: 40 });
    for (const r of replies) expect(r.body.revision).toBe(1);
    const events = await ballotEvents('retracting');
    expect(countBy(events, (e) => e.type)).toEqual({ Voted: 100, VoteRetracted: 40 });
    const holding = new Map<string, boolean>();
    for (const e of events) holding.set(e.streamId, e.type === 'Voted');
    expect([...holding.values()].filter(Boolean)).toHaveLength(60);
  });

  it('retracting without ever voting → 200 retracted:false, revision -1 (no ballot stream), nothing appended', async () => {
    await openPoll('quiet');
    const reply = await call(app.baseUrl, 'DELETE', '/polls/quiet/votes/ghost');
    expect(reply).toMatchObject({
      status: 200,
      body: { pollId: 'quiet', voterId: 'ghost', retracted: false, revision: -1, position: '0' },
    });
    expect(await app.store.readStream('ballot-quiet|ghost')).toEqual([]);
  });
});
