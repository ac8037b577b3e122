import { ADMIN_TOKEN, call, startHttpApp, type HttpApp } from '../support/http-app';
import {
  AnswerChecker,
  fetchDocument,
  operationsOf,
  type OpenApiDocument,
} from '../support/openapi-document';

const API_TOKEN = 'openapi-api-token';
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

type Caller = 'anonymous' | 'apiToken' | 'adminToken';

/**
 * Whether the document lets this caller through: no requirement (`[]`) or an empty one (`{}`)
 * lets anyone; otherwise a requirement must name the caller's scheme.
 */
function documentedAsAllowed(security: Record<string, string[]>[], caller: Caller): boolean {
  if (security.length === 0) return true;
  return security.some((requirement) => {
    const schemes = Object.keys(requirement);
    return schemes.length === 0 || (caller !== 'anonymous' && schemes.includes(caller));
  });
}

/**
 * Every operation of the document, called as each kind of caller, with ids that name nothing
 * (no rebuild starts, no live stream stays open): the server lets through exactly whom the
 * operation's security names, and every answer — refusal or not — is one the document lists.
 */
describe.each([
  ['unset', {}],
  ['set', { TALLY_API_TOKEN: API_TOKEN }],
])('OpenAPI security with TALLY_API_TOKEN %s', (_name, env: Record<string, string>) => {
  let app: HttpApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    app = await startHttpApp(env);
    doc = await fetchDocument(app.baseUrl);
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets through exactly the callers each operation’s security names', async () => {
    const checker = new AnswerChecker(doc);
    const tokens: Record<Caller, Record<string, string>> = {
      anonymous: {},
      // With no API token configured, any bearer token is what an API client would send.
      apiToken: bearer(env.TALLY_API_TOKEN ?? 'any-token'),
      adminToken: bearer(ADMIN_TOKEN),
    };
    const mismatches: string[] = [];
    const refused: Record<Caller, number> = { anonymous: 0, apiToken: 0, adminToken: 0 };
    for (const { method, path, operation } of operationsOf(doc)) {
      const url = path.replace(/\{\w+\}/g, 'nothing');
      for (const caller of Object.keys(tokens) as Caller[]) {
        const answer = await call(app.baseUrl, method, url, undefined, tokens[caller]);
        const passed = answer.status !== 401 && answer.status !== 403;
        if (!passed) refused[caller] += 1;
        const documented = documentedAsAllowed(operation.security ?? [], caller);
        if (passed !== documented) {
          mismatches.push(
            `${method} ${path} as ${caller}: ${answer.status}, documented ${documented}`,
          );
        }
        const problem = checker.problem(method, path, answer);
        if (problem) mismatches.push(`${problem} (as ${caller})`);
      }
    }
    expect(mismatches).toEqual([]);
    // The sweep met the refusals it should: admin routes refuse the API token; API routes
    // refuse no token only when one is set.
    expect(refused.adminToken).toBe(0);
    expect(refused.apiToken).toBeGreaterThan(0);
    if (env.TALLY_API_TOKEN) expect(refused.anonymous).toBeGreaterThan(refused.apiToken);
    else expect(refused.anonymous).toBe(refused.apiToken);
  });
});
