// The token the page calls the API with: typed into the token form (or brought once as
// ?access_token=, then taken out of the address bar), kept in this tab's sessionStorage,
// sent as a Bearer header. Never put into a URL the page requests.

const TOKEN_KEY = 'tally.ops.token';

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const session = {
  token: null as string | null,
  admin: false,
};

function adoptUrlToken(): void {
  const url = new URL(location.href);
  const token = url.searchParams.get('access_token');
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  if (url.searchParams.has('access_token')) {
    url.searchParams.delete('access_token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  session.token = sessionStorage.getItem(TOKEN_KEY);
}

function useToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  session.token = token;
}

/** A JSON call as the session's token; a non-2xx answer throws its status and message. */
async function api<T>(method: string, path: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const response = await fetch(path, { method, headers, cache: 'no-store' });
  const body = (await response.json().catch(() => ({}))) as T & ErrorView;
  if (!response.ok) {
    const detail = body.message ?? body.error ?? '';
    throw new HttpProblem(response.status, `${method} ${path}: ${response.status} ${detail}`);
  }
  return body;
}

const TOKEN_STATES: Record<AccessView['token'], string> = {
  admin: 'admin token: every action',
  api: 'API token: read only',
  invalid: 'token not recognised',
  none: 'no token',
};

/** Asks the server what the token may do; admin actions show for the admin token only. */
async function checkAccess(): Promise<void> {
  let state: string;
  try {
    const access = await api<AccessView>('GET', '/ops/access');
    session.admin = access.admin;
    state = TOKEN_STATES[access.token];
  } catch (e) {
    session.admin = false;
    const refused = e instanceof HttpProblem && e.status === 401;
    state = !refused ? messageOf(e) : session.token ? 'token refused' : 'this server needs a token';
  }
  document.body.classList.toggle('admin', session.admin);
  required('#token-state').textContent = state;
}

function installTokenForm(changed: () => void): void {
  const input = required<HTMLInputElement>('#token');
  required('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    useToken(input.value.trim() || null);
    input.value = '';
    changed();
  });
  required('#forget-token').addEventListener('click', () => {
    useToken(null);
    changed();
  });
}
