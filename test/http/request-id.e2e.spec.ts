import { startHttpApp, type HttpApp } from '../support/http-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every answer names its request: the caller's X-Request-Id when sane, else a fresh one. */
describe('X-Request-Id', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const idOf = async (path: string, headers: Record<string, string> = {}): Promise<string> => {
    const response = await fetch(app.baseUrl + path, { headers });
    await response.arrayBuffer();
    return response.headers.get('x-request-id') ?? '';
  };

  it("echoes the caller's id", async () => {
    expect(await idOf('/health/live', { 'x-request-id': 'caller-42.a:b' })).toBe('caller-42.a:b');
  });

  it.each([
    ['too long', 'x'.repeat(129)],
    ['with a space', 'a b'],
    ['with a quote', 'a"b'],
  ])('replaces an id %s with a fresh one', async (_, sent) => {
    expect(await idOf('/health/live', { 'x-request-id': sent })).toMatch(UUID);
  });

  it.each([
    ['a read', '/polls/nosuch'],
    ['an unknown path', '/no/such/route'],
    ['a URL that cannot be decoded', '/polls/%ZZ'],
  ])('names %s, refused or not, with a fresh id each time', async (_, path) => {
    const [a, b] = [await idOf(path), await idOf(path)];
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });
});
