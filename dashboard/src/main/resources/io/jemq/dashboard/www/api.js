// Calls to the public REST API (/api/v2) with the session cookie; every call carries the session's CSRF token,
// which the broker requires on each call that changes something.
let csrf = '';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Who is logged in; sends the browser to the login page when nobody is. */
export async function session() {
  const r = await fetch('/api/v2/dashboard/session', { headers: { 'X-Jemq-Csrf': 'session' } });
  if (r.status === 401) {
    location.replace('/login.html');
    throw new ApiError(401, 'not logged in');
  }
  const body = await r.json();
  csrf = body.result.csrf;
  return body.result;
}

/** One call; resolves to the JSON answer ({code, result, meta}), rejects with the API's message. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json', 'X-Jemq-Csrf': csrf };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let r;
  try {
    r = await fetch(`/api/v2${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, `the broker cannot be reached (${e.message})`);
  }
  if (r.status === 401 && path !== '/dashboard/login') {
    location.replace('/login.html');
    throw new ApiError(401, 'the session ended: log in again');
  }
  const answer = await r.json().catch(() => null);
  if (!r.ok || !answer || answer.code !== 0) {
    throw new ApiError(r.status, answer && answer.message ? answer.message : `HTTP ${r.status}`);
  }
  return answer;
}

export const get = (path) => api('GET', path);

/** Every entry of a paged list. */
export async function all(path) {
  const sep = path.includes('?') ? '&' : '?';
  const answer = await get(`${path}${sep}_limit=10000`);
  const result = answer.result;
  return Array.isArray(result) ? result : result.objects;
}

export async function logout() {
  await api('POST', '/dashboard/logout').catch(() => {});
  location.replace('/login.html');
}
