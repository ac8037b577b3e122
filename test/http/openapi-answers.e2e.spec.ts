import { admin, call, startHttpApp, type HttpApp } from '../support/http-app';
import {
  AnswerChecker,
  COMMANDS,
  fetchDocument,
  operationsOf,
  type OpenApiDocument,
} from '../support/openapi-document';

/** Real answers of the server, each checked against what the OpenAPI document says of it. */
describe('the OpenAPI document against real answers', () => {
  let app: HttpApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    app = await startHttpApp();
    doc = await fetchDocument(app.baseUrl);
  });
  afterAll(async () => {
    await app.close();
  });

  it('matches real answers, success and refusal, in every family', async () => {
    const checker = new AnswerChecker(doc);
    const problems: string[] = [];
    const statuses: string[] = [];
    let key = 0;
    const send = async (
      method: string,
      path: string,
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Record<string, unknown>> => {
      const isCommand = COMMANDS.some(([m, p]) => m === method && p === path);
      const idempotency: Record<string, string> = isCommand
        ? { 'idempotency-key': `openapi-${(key += 1)}` }
        : {};
      const answer = await call(app.baseUrl, method, url, body, { ...idempotency, ...headers });
      statuses.push(`${method} ${path} ${answer.status}`);
      const problem = checker.problem(method, path, answer);
      if (problem) problems.push(problem);
      if (isCommand && answer.status < 300) {
        // The documented Idempotency-Key is honoured: the same request again is a replay.
        const again = await call(app.baseUrl, method, url, body, { ...idempotency, ...headers });
        if (again.headers.get('idempotency-replayed') !== 'true')
          problems.push(`${url}: no replay`);
      }
      return answer.body;
    };

    await send('POST', '/polls', '/polls', {
      pollId: 'oa',
      title: 'OpenAPI?',
      options: ['a', 'b'],
    });
    await send('POST', '/polls', '/polls', { title: '' });
    await send('POST', '/polls/{pollId}/votes', '/polls/oa/votes', {
      voterId: 'v',
      optionId: 'o1',
    });
    await send('POST', '/polls/{pollId}/votes', '/polls/oa/votes', {
      voterId: 'v',
      optionId: 'o9',
    });
    await send('DELETE', '/polls/{pollId}/votes/{voterId}', '/polls/oa/votes/w');
    await send('POST', '/polls/{pollId}/close', '/polls/oa/close', undefined, admin);
    await send('POST', '/polls/{pollId}/close', '/polls/oa/close');
    const reaction = '/posts/{postId}/reactions/{type}/{userId}';
    await send('PUT', reaction, '/posts/p1/reactions/like/u1', { active: true });
    const toggled = await send('POST', `${reaction}/toggle`, '/posts/p1/reactions/like/u1/toggle');
    await send('POST', `${reaction}/toggle`, '/posts/p1/reactions/like/u1/toggle', undefined, {
      'if-match': `"${Number(toggled.revision) + 5}"`,
    });
    await send('POST', '/threads', '/threads', { threadId: 't1', title: 'Hello' });
    await send('POST', '/threads/{threadId}/posts', '/threads/t1/posts', {
      authorId: 'a',
      body: 'x',
    });
    await send('POST', '/threads/{threadId}/posts', '/threads/t9/posts', {
      authorId: 'a',
      body: 'x',
    });
    await send('POST', '/items', '/items', { sku: 's1', name: 'Pen', stock: 1 }, admin);
    await send('POST', '/items', '/items', { sku: 's1', name: 'Pen', stock: 1 }, admin);
    await send('POST', '/items/{sku}/purchases', '/items/s1/purchases', {
      customerId: 'c',
      quantity: 5,
    });
    await send('POST', '/items/{sku}/restocks', '/items/s1/restocks', { quantity: 5 }, admin);
    const user = await send('POST', '/users', '/users', { username: 'openapi' });
    await send('POST', '/users', '/users', { username: 'OpenAPI' });
    const at = `?minPosition=${String(user.position)}`;
    await send('GET', '/polls/{pollId}', `/polls/oa${at}`);
    await send('GET', '/polls/{pollId}', '/polls/none');
    await send('GET', '/posts/{postId}/reactions', `/posts/p1/reactions${at}`);
    await send('GET', '/threads/{threadId}', `/threads/t1${at}`);
    await send('GET', '/items/{sku}', `/items/s1${at}`);
    await send('GET', '/users/{username}', `/users/openapi${at}`);
    await send('GET', '/users/{username}', '/users/openapi?minPosition=x');
    await send('GET', '/projections', '/projections');
    await send('GET', '/projections/{name}/parked', '/projections/users/parked', undefined, admin);
    await send('POST', '/projections/{name}/rebuild', '/projections/no/rebuild', undefined, admin);
    await send('GET', '/ops/status', '/ops/status');
    await send('GET', '/health/live', '/health/live');
    await send('GET', '/health/ready', '/health/ready');
    await send('GET', '/metrics', '/metrics');

    expect(problems).toEqual([]);
    // The scenario reached what it meant to: successes and the refusals in between.
    expect(statuses).toEqual(
      expect.arrayContaining([
        'POST /polls 201',
        'POST /polls 400',
        'POST /polls/{pollId}/votes 404',
        'POST /polls/{pollId}/close 401',
        `POST ${reaction}/toggle 412`,
        'POST /threads/{threadId}/posts 201',
        'POST /items 409',
        'POST /items/{sku}/purchases 409',
        'POST /users 409',
        'GET /polls/{pollId} 200',
        'GET /polls/{pollId} 404',
        'GET /users/{username} 200',
        'GET /users/{username} 400',
        'GET /projections 200',
        'POST /projections/{name}/rebuild 404',
        'GET /ops/status 200',
        'GET /metrics 200',
      ]),
    );
  });

  it('lists every refusal the server gives to malformed requests', async () => {
    const checker = new AnswerChecker(doc);
    const problems: string[] = [];
    const statuses = new Set<number>();
    const big = JSON.stringify({ filler: 'x'.repeat(70 * 1024) });
    for (const { method, path } of operationsOf(doc)) {
      const hasBody = method !== 'GET';
      const attempts: [string, unknown?, Record<string, string>?][] = [
        [path.replace(/\{\w+\}/g, 'bad%20id!')],
        [`${path.replace(/\{\w+\}/g, 'nothing')}?minPosition=abc`],
        ...(hasBody
          ? ([
              [path.replace(/\{\w+\}/g, 'nothing'), '{"not json'],
              [path.replace(/\{\w+\}/g, 'nothing'), big],
              [path.replace(/\{\w+\}/g, 'nothing'), 'text', { 'content-type': 'text/plain' }],
            ] as [string, unknown, Record<string, string>?][])
          : []),
      ];
      for (const [url, body, headers] of attempts) {
        const answer = await call(app.baseUrl, method, url, body, { ...admin, ...headers });
        statuses.add(answer.status);
        const problem = checker.problem(method, path, answer);
        if (problem) problems.push(`${problem} (${url.slice(0, 60)})`);
      }
    }
    expect(problems).toEqual([]);
    expect([...statuses]).toEqual(expect.arrayContaining([400, 404, 413]));
  });
});
