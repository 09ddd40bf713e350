// The parts of Grafana's HTTP server an app plugin's pages use, plugged into the dashboard harness (its
// `extend` hook): the app's plugin settings (GET/POST /api/plugins/<id>/settings, secrets write-only, shown
// as secureJsonFields), the app plugin proxy (/api/plugin-proxy/<id>/<route path>/..., pkg/api/plugin_proxy.go:
// the first route of the app's plugin.json whose path prefixes the request, URL and headers templated from
// the app's jsonData and decrypted secureJsonData, the browser's own cookies and Authorization dropped, the
// answer streamed back as it comes, 504 when the upstream does not answer in time, 502 when it cannot be
// reached), and the app pages (/a/<id>/..., /plugins/<id>) served by the app host.
import fs from 'fs';
import type http from 'http';
import path from 'path';
import { Readable } from 'stream';
import { upstreamFor, type PluginRoute } from '../dashboards/routes';
import type { ProvisionedDataSource } from '../dashboards/provisioning';
import { APP_HOST_URL } from './host/build';

export interface AppSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  /** Decrypted, as Grafana's server holds it; never sent to the browser. */
  secureJsonData: Record<string, string>;
}

export interface AppProxyLogEntry {
  method: string;
  upstream: string;
  status: number;
}

export interface AppServer {
  settings: AppSettings;
  proxyLog: AppProxyLogEntry[];
  /** Bodies of POST /api/plugins/<id>/settings, as the browser sent them. */
  settingsPosts: unknown[];
  extend: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendFile(res: http.ServerResponse, root: string, rel: string, type: string): void {
  const file = path.join(root, path.posix.normalize(`/${rel}`));
  if (!file.startsWith(root) || !fs.existsSync(file)) {
    sendJson(res, 404, { message: `not found: ${rel}` });
    return;
  }
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  fs.createReadStream(file).pipe(res);
}

/**
 * App routes match like pkg/api/pluginproxy/pluginproxy.go (a path tree, unlike the data-source proxy's prefix
 * match): `llm1/*` matches `llm1/<anything>` and forwards `<anything>`; a path without `*` matches only itself
 * and forwards nothing below it. Returned with `path` = the literal prefix, as routes.ts joins the rest.
 */
export function matchAppRoute(routes: PluginRoute[], proxyPath: string, method: string): PluginRoute | undefined {
  for (const r of routes) {
    if (r.method && r.method !== '*' && r.method.toUpperCase() !== method) {
      continue;
    }
    if (r.path.endsWith('/*') ? proxyPath.startsWith(r.path.slice(0, -1)) : proxyPath === r.path) {
      return { ...r, path: r.path.endsWith('/*') ? r.path.slice(0, -1) : r.path };
    }
  }
  return undefined;
}

export function appServer(o: {
  distDir: string;
  hostDir: string;
  settings: AppSettings;
  /** Grafana's [dataproxy] timeout (default 30 s), until the upstream's response headers. */
  proxyTimeoutMs?: number;
  /** For GET /api/datasources, which the configuration page's setup section reads before it renders. */
  datasources?: ProvisionedDataSource[];
}): AppServer {
  const app = JSON.parse(fs.readFileSync(path.join(o.distDir, 'plugin.json'), 'utf8')) as {
    id: string;
    routes?: PluginRoute[];
  };
  const routes = app.routes ?? [];
  const proxyLog: AppProxyLogEntry[] = [];
  const settingsPosts: unknown[] = [];
  const state: AppServer = { settings: o.settings, proxyLog, settingsPosts, extend };

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, rest: string, search: string) {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = matchAppRoute(routes, rest, method);
    if (!route?.url) {
      sendJson(res, 404, { message: 'plugin route match not found' });
      return;
    }
    // routes.ts renders templates from a data source's settings; an app's settings have the same two maps.
    const { url, headers } = upstreamFor(route, rest, search, state.settings as unknown as ProvisionedDataSource);
    const forward: Record<string, string> = {};
    for (const h of ['content-type', 'accept']) {
      const v = req.headers[h];
      if (typeof v === 'string') {
        forward[h] = v;
      }
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), o.proxyTimeoutMs ?? 30_000);
    // The browser going away ends the upstream request too (Go's reverse proxy cancels with the request context).
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    let upstream: Response;
    try {
      upstream = await fetch(url, {
        method,
        headers: { ...forward, ...headers },
        body,
        signal: AbortSignal.any([timeout.signal, gone.signal]),
      });
    } catch {
      const status = timeout.signal.aborted ? 504 : 502;
      proxyLog.push({ method, upstream: url.href, status });
      if (!res.headersSent && !gone.signal.aborted) {
        res.writeHead(status);
        res.end();
      }
      return;
    } finally {
      clearTimeout(timer);
    }
    proxyLog.push({ method, upstream: url.href, status: upstream.status });
    const out: Record<string, string> = {};
    for (const h of ['content-type', 'retry-after', 'cache-control']) {
      const v = upstream.headers.get(h);
      if (v) {
        out[h] = v;
      }
    }
    res.writeHead(upstream.status, out);
    res.flushHeaders();
    if (!upstream.body) {
      res.end();
      return;
    }
    // Streamed through as it arrives (Go's ReverseProxy flushes text/event-stream at once).
    Readable.fromWeb(upstream.body as never)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  async function extend(req: http.IncomingMessage, res: http.ServerResponse, u: URL): Promise<boolean> {
    const p = u.pathname;
    const proxyPrefix = `/api/plugin-proxy/${app.id}/`;
    if (p.startsWith(proxyPrefix)) {
      await proxy(req, res, p.slice(proxyPrefix.length), u.search);
      return true;
    }
    if (p === `/api/plugins/${app.id}/settings`) {
      if (req.method === 'POST') {
        const posted = JSON.parse((await readBody(req)).toString('utf8')) as Partial<AppSettings>;
        settingsPosts.push(posted);
        // pluginsettings.Update: jsonData replaced, secureJsonData merged key by key into the stored secrets.
        state.settings = {
          enabled: posted.enabled ?? state.settings.enabled,
          pinned: posted.pinned ?? state.settings.pinned,
          jsonData: posted.jsonData ?? state.settings.jsonData,
          secureJsonData: { ...state.settings.secureJsonData, ...(posted.secureJsonData ?? {}) },
        };
        sendJson(res, 200, { message: 'Plugin settings updated' });
        return true;
      }
      const { secureJsonData, ...rest } = state.settings;
      const secureJsonFields = Object.fromEntries(Object.entries(secureJsonData).map(([k, v]) => [k, v !== '']));
      sendJson(res, 200, { id: app.id, ...rest, secureJsonFields });
      return true;
    }
    // What the setup section of the configuration page reads at load (its own suite checks it against a fuller
    // stand-in): the data sources without secrets, and no folders, alert rules or imported dashboards yet.
    if (req.method === 'GET' && p === '/api/datasources') {
      sendJson(
        res,
        200,
        (o.datasources ?? []).map(({ secureJsonData: _s, ...d }, i) => ({ id: i + 1, orgId: 1, access: 'proxy', ...d }))
      );
      return true;
    }
    const empty = ['/api/folders', '/api/v1/provisioning/alert-rules', `/api/plugins/${app.id}/dashboards`];
    if (req.method === 'GET' && empty.includes(p)) {
      sendJson(res, 200, []);
      return true;
    }
    if (p.startsWith(APP_HOST_URL)) {
      sendFile(res, o.hostDir, p.slice(APP_HOST_URL.length), 'text/javascript; charset=utf-8');
      return true;
    }
    if (p === `/a/${app.id}` || p.startsWith(`/a/${app.id}/`) || p === `/plugins/${app.id}`) {
      sendFile(res, o.hostDir, 'index.html', 'text/html; charset=utf-8');
      return true;
    }
    return false;
  }

  return state;
}
