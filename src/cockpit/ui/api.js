// The cockpit's own endpoints (same origin) and the pipeline API (with the key the cockpit hands out).

const BASE = '/_octember/api';
let config;

async function parse(response) {
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(body?.message ?? `HTTP ${response.status}`);
  return body;
}

export const get = (path) => fetch(`${BASE}${path}`).then(parse);

/** Changes are non-simple requests (JSON + the cockpit header): no other site can send them. */
export const post = (path, body = {}) =>
  fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-octember-cockpit': '1' },
    body: JSON.stringify(body),
  }).then(parse);

export async function loadConfig() {
  config ??= await get('/config');
  return config;
}

/** The pipeline's API Gateway (`/v1/...`), as any client calls it. */
export async function api(path, init = {}) {
  const { apiKey, stage } = await loadConfig();
  const response = await fetch(`/${stage}${path}`, {
    ...init,
    headers: { 'x-api-key': apiKey, ...(init.headers ?? {}) },
  });
  return parse(response);
}

export function events(handlers, onState) {
  const source = new EventSource(`${BASE}/events`);
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  for (const [type, handler] of Object.entries(handlers)) {
    source.addEventListener(type, (e) => handler(JSON.parse(e.data)));
  }
  return source;
}
