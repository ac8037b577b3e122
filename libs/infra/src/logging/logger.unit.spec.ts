import Fastify from 'fastify';
import { createLogger, redactAccessTokens } from './logger';

const SECRET = 'the-secret-token';

/** Every line a logger writes, as text. */
function capture(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line) };
}

describe('access_token redaction in log lines', () => {
  it('redacts the value wherever a line carries it, however the key is spelt', () => {
    for (const url of [
      `/polls/p?access_token=${SECRET}`,
      `/polls/p?minPosition=1&access_token=${SECRET}&x=1`,
      `/polls/p?ACCESS_TOKEN=${SECRET}`,
      `/polls/p?access%5Ftoken=${SECRET}`,
      `/polls/p?access%5ftoken=${SECRET}#frag`,
    ]) {
      const line = redactAccessTokens(JSON.stringify({ url, msg: `GET ${url} failed` }));
      expect(line).not.toContain(SECRET);
      expect(line).toContain('[redacted]');
    }
    const clean = '{"path":"/polls/p","msg":"request"}';
    expect(redactAccessTokens(clean)).toBe(clean);
  });

  it('keeps tokens out of what Fastify itself logs for a request that fails (its req serializer)', async () => {
    const out = capture();
    const fastify = Fastify({ loggerInstance: createLogger('trace', 'test', out) });
    fastify.get('/boom', () => {
      throw new Error(`cannot serve /boom?access_token=${SECRET}`);
    });
    const reply = await fastify.inject({ method: 'GET', url: `/boom?access_token=${SECRET}` });
    await fastify.close();
    expect(reply.statusCode).toBe(500);
    const text = out.lines.join('');
    expect(text).toContain('/boom?access_token=[redacted]');
    expect(text).not.toContain(SECRET);
  });
});
