import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { from, type Observable } from 'rxjs';

// A stand-in for Grafana's BackendSrv that does what a browser request to the data-source proxy does, so the
// plugin.json route itself is exercised against the real service:
//  - server side (pkg/api/pluginproxy/ds_proxy.go): match a route by method and path prefix, render its URL and
//    header templates with the data source's jsonData and decrypted secureJsonData, join the rest of the path;
//    an upstream 401 becomes `400 Authentication to data source failed`, a connection failure an empty 502;
//  - client side (backend_srv.ts): parse the body as JSON or text, and on error throw a FetchError whose text
//    body is wrapped as {message, error: statusText, response}.

export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface ProxiedDataSource {
  uid: string;
  jsonData: Record<string, unknown>;
  /** Decrypted secure fields as Grafana's server holds them (never sent to the browser). */
  secureJsonData: Record<string, string>;
}

/** `/api/datasources/proxy/uid/<uid>` - what Grafana puts in DataSourceInstanceSettings.url. */
export function proxyUrl(uid: string): string {
  return `/api/datasources/proxy/uid/${uid}`;
}

/**
 * Render the subset of Go text/template that plugin routes use here: `{{ .JsonData.x }}` and
 * `{{ .SecureJsonData.x }}`. A missing key renders as Go's "<no value>"; any other action is refused so a route
 * this emulation does not understand fails loudly instead of passing by accident.
 */
export function renderRouteTemplate(text: string, ds: ProxiedDataSource): string {
  return text.replace(/\{\{(.*?)\}\}/g, (_all, inner: string) => {
    const m = /^\s*\.(JsonData|SecureJsonData)\.(\w+)\s*$/.exec(inner);
    if (!m) {
      throw new Error(`route template action not emulated: {{${inner}}}`);
    }
    const source: Record<string, unknown> = m[1] === 'JsonData' ? ds.jsonData : ds.secureJsonData;
    const value = source[m[2]];
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}

/** Grafana's util.JoinURLFragments. */
export function joinUrlFragments(a: string, b: string): string {
  if (b.length === 0) {
    return a;
  }
  const aSlash = a.endsWith('/');
  const bSlash = b.startsWith('/');
  if (aSlash && bSlash) {
    return a + b.slice(1);
  }
  if (!aSlash && !bSlash) {
    return `${a}/${b}`;
  }
  return a + b;
}

interface UpstreamReply {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

async function proxy(req: BackendSrvRequest, routes: PluginRoute[], ds: ProxiedDataSource): Promise<UpstreamReply> {
  const prefix = `${proxyUrl(ds.uid)}/`;
  if (!req.url.startsWith(prefix)) {
    throw new Error(`request outside the data-source proxy: ${req.url}`);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  const [proxyPath, query] = req.url.slice(prefix.length).split('?');
  const route = routes.find(
    (r) => (!r.method || r.method === '*' || r.method === method) && proxyPath.startsWith(r.path)
  );
  if (!route || !route.url) {
    // No route: Grafana would proxy to the data source's own `url`, which this plugin leaves empty.
    return { status: 502, statusText: 'Bad Gateway', headers: new Headers(), text: '' };
  }
  let target: URL;
  try {
    const routeUrl = new URL(renderRouteTemplate(route.url, ds));
    target = new URL(joinUrlFragments(routeUrl.pathname, proxyPath.slice(route.path.length)), routeUrl.origin);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('route template')) {
      throw e;
    }
    return { status: 502, statusText: 'Bad Gateway', headers: new Headers(), text: '' };
  }
  const params = new URLSearchParams(query ?? '');
  for (const [k, v] of Object.entries(req.params ?? {})) {
    params.append(k, String(v));
  }
  target.search = params.toString();

  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers ?? {})) {
    headers.set(k, String(v));
  }
  for (const h of route.headers ?? []) {
    headers.set(h.name, renderRouteTemplate(h.content, ds));
  }
  let body: string | undefined;
  if (req.data !== undefined && method !== 'GET') {
    body = typeof req.data === 'string' ? req.data : JSON.stringify(req.data);
    if (!headers.has('content-type')) {
      headers.set('content-type', 'application/json');
    }
  }

  let res: Response;
  try {
    res = await fetch(target, { method, headers, body });
  } catch {
    return { status: 502, statusText: 'Bad Gateway', headers: new Headers(), text: '' };
  }
  const text = await res.text();
  if (res.status === 401) {
    return {
      status: 400,
      statusText: 'Bad Request',
      headers: new Headers(),
      text: 'Authentication to data source failed',
    };
  }
  return { status: res.status, statusText: res.statusText, headers: res.headers, text };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function send<T>(
  req: BackendSrvRequest,
  routes: PluginRoute[],
  ds: ProxiedDataSource
): Promise<FetchResponse<T>> {
  const reply = await proxy(req, routes, ds);
  const data = parseBody(reply.text);
  const ok = reply.status >= 200 && reply.status < 300;
  if (!ok) {
    let errData: any = data ?? { message: 'Unexpected error' };
    if (typeof errData === 'string') {
      errData = { message: errData, error: reply.statusText, response: errData };
    }
    if (errData && !errData.message && typeof errData.error === 'string') {
      errData.message = errData.error;
    }
    const err: FetchError = { status: reply.status, statusText: reply.statusText, data: errData, config: req };
    throw err;
  }
  return {
    data: data as T,
    status: reply.status,
    statusText: reply.statusText,
    ok,
    headers: reply.headers,
    redirected: false,
    type: 'basic',
    url: req.url,
    config: req,
  };
}

/** A BackendSrv whose requests go through the emulated data-source proxy with the given routes. */
export function grafanaProxyBackendSrv(routes: PluginRoute[], ds: ProxiedDataSource): BackendSrv {
  const fetchFn = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(send<T>(options, routes, ds));
  const request = async <T>(options: BackendSrvRequest): Promise<T> => (await send<T>(options, routes, ds)).data;
  return {
    fetch: fetchFn,
    datasourceRequest: (options) => send(options, routes, ds),
    request,
    get: (url, params) => request({ url, params, method: 'GET' }),
    post: (url, data) => request({ url, data, method: 'POST' }),
    put: (url, data) => request({ url, data, method: 'PUT' }),
    patch: (url, data) => request({ url, data, method: 'PATCH' }),
    delete: (url, data) => request({ url, data, method: 'DELETE' }),
    chunked: () => {
      throw new Error('chunked requests are not used by this data source');
    },
  };
}
