// Talking to Herald. Every call returns a plain result object; nothing is thrown and nothing is swallowed:
// the caller always gets the status, the parsed body, and a sentence describing any failure.

const TOKEN_KEY = 'herald.bearerToken';

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    return true;
  } catch {
    return false;
  }
}

/**
 * request('POST', '/api/recommendations', { body, contentType, auth: true })
 * -> { ok, status, data, problem, message }
 *    ok: 2xx; data: the parsed JSON body (or text); problem: the problem+json body of an error, if any;
 *    message: one plain sentence for any failure (network or HTTP).
 */
export async function request(method, url, options = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (options.contentType) headers['Content-Type'] = options.contentType;
  if (options.auth) {
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: options.body, cache: 'no-store', credentials: 'same-origin' });
  } catch (error) {
    return {
      ok: false,
      status: 0,
      data: null,
      problem: null,
      message: `Could not reach Herald at ${url}: ${error && error.message ? error.message : error}. Check that the server is running.`,
    };
  }
  const type = response.headers.get('Content-Type') || '';
  let data = null;
  let text = '';
  try {
    text = await response.text();
    data = /json/i.test(type) && text ? JSON.parse(text) : text;
  } catch {
    data = text;
  }
  if (response.ok) return { ok: true, status: response.status, data, problem: null, message: '' };
  const problem = data && typeof data === 'object' ? data : null;
  return { ok: false, status: response.status, data, problem, message: describeFailure(response, problem, text) };
}

function describeFailure(response, problem, text) {
  const status = `${response.status}${response.statusText ? ' ' + response.statusText : ''}`;
  if (problem) {
    const title = problem.title || 'Error';
    const detail = problem.detail ? `: ${problem.detail}` : '';
    const code = problem.code ? ` (${problem.code})` : '';
    return `Herald answered ${status}. ${title}${code}${detail}${advice(response.status, problem.code)}`;
  }
  const snippet = String(text || '').trim().slice(0, 300);
  return `Herald answered ${status}${snippet ? ': ' + snippet : '.'}${advice(response.status, null)}`;
}

function advice(status, code) {
  if (status !== 401) return '';
  if (code === 'replayed-jti') return ' This token was minted for a single call: paste a session token (its audience is Herald\'s own address) under Settings (top of the page).';
  if (code === 'expired') return ' The token has expired: paste a fresh one under Settings (top of the page).';
  if (code === 'loopback-only') return ' Without a token Herald only answers calls from its own machine.';
  return ' Herald needs to know who is asking: in JWT mode, paste a bearer token under Settings (top of the page).';
}
