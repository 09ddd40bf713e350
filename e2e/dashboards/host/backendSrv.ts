// The browser half of Grafana's BackendSrv (public/app/core/services/backend_srv.ts) as a data source sees it:
// requests go to Grafana's own HTTP API (here the harness server, which proxies /api/datasources/proxy/...
// by the plugin.json routes), JSON bodies are parsed, and a non-2xx reply becomes a FetchError whose text body
// is wrapped as {message, error: statusText, response}.
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { from, type Observable } from 'rxjs';

/** Every request the plugin made, for the test to see what went over the wire. */
export const requestLog: Array<{ method: string; url: string; status: number; ms: number; body?: string }> = [];

function withParams(url: string, params?: BackendSrvRequest['params']): string {
  if (!params || Object.keys(params).length === 0) {
    return url;
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (item !== undefined && item !== null) {
        q.append(k, String(item));
      }
    }
  }
  return `${url}${url.includes('?') ? '&' : '?'}${q.toString()}`;
}

function parse(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    headers.set(k, String(v));
  }
  let body: BodyInit | undefined;
  if (options.data !== undefined && method !== 'GET') {
    body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
    if (!headers.has('content-type')) {
      headers.set('content-type', 'application/json');
    }
  }
  const url = withParams(options.url, options.params);
  const t0 = performance.now();
  const res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  const data = parse(await res.text());
  requestLog.push({
    method,
    url,
    status: res.status,
    ms: Math.round(performance.now() - t0),
    body: typeof body === 'string' ? body : undefined,
  });
  if (!res.ok) {
    let errData: any = data ?? {};
    if (typeof errData === 'string') {
      errData = { message: errData, error: res.statusText, response: errData };
    } else if (!errData.message && typeof errData.error === 'string') {
      errData = { ...errData, message: errData.error };
    }
    const err: FetchError = { status: res.status, statusText: res.statusText, data: errData, config: options };
    throw err;
  }
  return {
    data: data as T,
    status: res.status,
    statusText: res.statusText,
    ok: true,
    headers: res.headers,
    redirected: res.redirected,
    type: res.type,
    url: res.url,
    config: options,
  };
}

export function createBackendSrv(): BackendSrv {
  const request = async <T>(options: BackendSrvRequest): Promise<T> => (await send<T>(options)).data;
  return {
    fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(send<T>(options)),
    datasourceRequest: (options) => send(options),
    request,
    get: (url, params) => request({ url, params, method: 'GET' }),
    post: (url, data) => request({ url, data, method: 'POST' }),
    put: (url, data) => request({ url, data, method: 'PUT' }),
    patch: (url, data) => request({ url, data, method: 'PATCH' }),
    delete: (url, data) => request({ url, data, method: 'DELETE' }),
    chunked: () => {
      throw new Error('chunked requests are not part of this host');
    },
  } as BackendSrv;
}
