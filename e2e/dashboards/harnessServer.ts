// A stand-in for the parts of Grafana's HTTP server the dashboards touch: it serves the host page at /d/<uid>,
// the BUILT plugin at /public/plugins/<app id>/ (as Grafana serves plugin assets), the provisioned dashboards
// and data-source settings from its API, and the data-source proxy, which adds the route headers (the API key)
// on the server side so the key never reaches the browser.
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import path from 'path';
import type { ProvisionedDataSource } from './provisioning';
import { matchRoute, upstreamFor, type PluginRoute } from './routes';

export interface HarnessOptions {
  /** The built plugin (dist/). */
  distDir: string;
  /** The host page build (index.html, host.js). */
  hostDir: string;
  /** Provisioned dashboard JSON files. */
  dashboardsDir: string;
  datasources: ProvisionedDataSource[];
  /** Upstream timeout for the data-source proxy (Grafana's default dataproxy timeout is 30 s). */
  proxyTimeoutMs?: number;
  /** More of Grafana's server (e.g. the app pages and app plugin proxy of e2e/playground); true = handled. */
  extend?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;
}

export interface Harness {
  url: string;
  appId: string;
  dashboards: Array<{ uid: string; title: string; file: string }>;
  /** The live settings (tests change secureJsonData to try a wrong key). */
  datasource(uid: string): ProvisionedDataSource;
  /** Every proxied request: method, upstream URL (no key), status. */
  proxyLog: Array<{ method: string; upstream: string; status: number; authorization: boolean }>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
};

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendFile(res: http.ServerResponse, root: string, rel: string): void {
  const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    sendJson(res, 404, { message: `not found: ${rel}` });
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  fs.createReadStream(file).pipe(res);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface PluginJson {
  id: string;
  type: string;
  name: string;
  routes?: PluginRoute[];
  includes?: Array<{ type: string; path?: string }>;
}

interface NestedPlugin {
  json: PluginJson;
  /** URL of its module.js, as Grafana serves nested plugins below the app's public path. */
  module: string;
  baseUrl: string;
}

/** The plugins the built app carries (dist/plugin.json `includes`), with their own built plugin.json. */
function nestedPlugins(distDir: string, appId: string): NestedPlugin[] {
  const app = readJson<PluginJson>(path.join(distDir, 'plugin.json'));
  return (app.includes ?? [])
    .filter((inc) => (inc.type === 'datasource' || inc.type === 'panel') && inc.path)
    .map((inc) => {
      const dir = path.posix.dirname(inc.path!);
      const baseUrl = `/public/plugins/${appId}/${dir}`;
      return { json: readJson<PluginJson>(path.join(distDir, inc.path!)), module: `${baseUrl}/module.js`, baseUrl };
    });
}

export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const appId = readJson<{ id: string }>(path.join(o.distDir, 'plugin.json')).id;
  const plugins = nestedPlugins(o.distDir, appId);
  const routes = new Map(
    plugins.filter((p) => p.json.type === 'datasource').map((p) => [p.json.id, p.json.routes ?? []])
  );
  const dashboards = fs
    .readdirSync(o.dashboardsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const d = readJson<{ uid: string; title: string }>(path.join(o.dashboardsDir, file));
      return { uid: d.uid, title: d.title, file };
    });
  const proxyLog: Harness['proxyLog'] = [];
  const byUid = new Map(o.datasources.map((d) => [d.uid, d]));

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, uid: string, rest: string, search: string) {
    const ds = byUid.get(uid);
    if (!ds) {
      sendJson(res, 404, { message: 'Data source not found' });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const route = matchRoute(routes.get(ds.type) ?? [], rest, method);
    let target: { url: URL; headers: Record<string, string> };
    if (route?.url) {
      target = upstreamFor(route, rest, search, ds);
    } else if (ds.url) {
      // Without a route Grafana proxies to the data source's own url (Prometheus: /api/v1/query_range ...).
      target = { url: new URL(`${ds.url.replace(/\/$/, '')}/${rest}${search}`), headers: {} };
    } else {
      sendJson(res, 502, { message: `no plugin route of ${ds.type} matches ${rest}` });
      return;
    }
    const { url, headers } = target;
    const forward: Record<string, string> = {};
    // Grafana forwards the content headers and drops the browser's own credentials (cookies, Authorization).
    for (const h of ['content-type', 'accept']) {
      const v = req.headers[h];
      if (typeof v === 'string') {
        forward[h] = v;
      }
    }
    const body = method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
    let upstream: Response;
    try {
      upstream = await fetch(url, {
        method,
        headers: { ...forward, ...headers },
        body,
        signal: AbortSignal.timeout(o.proxyTimeoutMs ?? 30_000),
      });
    } catch (e) {
      const timeout = e instanceof Error && e.name === 'TimeoutError';
      proxyLog.push({
        method,
        upstream: url.href,
        status: timeout ? 504 : 502,
        authorization: 'Authorization' in headers,
      });
      res.writeHead(timeout ? 504 : 502);
      res.end();
      return;
    }
    const text = await upstream.text();
    proxyLog.push({ method, upstream: url.href, status: upstream.status, authorization: 'Authorization' in headers });
    if (upstream.status === 401) {
      // ds_proxy.go: an upstream 401 would log the user out of Grafana, so it becomes a 400 with this text.
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Authentication to data source failed');
      return;
    }
    res.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
    });
    res.end(text);
  }

  /** What Grafana's boot data tells its frontend about installed plugins and data sources (no secrets). */
  function frontendSettings() {
    const datasources: Record<string, unknown> = {};
    for (const ds of o.datasources) {
      const plugin = plugins.find((p) => p.json.id === ds.type);
      // Grafana's core Prometheus plugin has no module here: the host brings its own client (host/prometheus.ts).
      const core = !plugin && ds.type === 'prometheus' && ds.url;
      if (!plugin && !core) {
        continue;
      }
      datasources[ds.name] = {
        id: o.datasources.indexOf(ds) + 1,
        uid: ds.uid,
        type: ds.type,
        name: ds.name,
        access: ds.access ?? 'proxy',
        url: `/api/datasources/proxy/uid/${ds.uid}`,
        isDefault: Boolean(ds.isDefault),
        readOnly: true,
        jsonData: ds.jsonData,
        meta: plugin
          ? { ...plugin.json, module: plugin.module, baseUrl: plugin.baseUrl, info: {} }
          : { id: 'prometheus', type: 'datasource', name: 'Prometheus', info: {} },
        module: plugin?.module ?? '',
      };
    }
    const panels = Object.fromEntries(
      plugins
        .filter((p) => p.json.type === 'panel')
        .map((p) => [p.json.id, { id: p.json.id, name: p.json.name, module: p.module, baseUrl: p.baseUrl }])
    );
    return { appId, appModule: `/public/plugins/${appId}/module.js`, datasources, panels };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://harness');
    const p = u.pathname;
    if (o.extend && (await o.extend(req, res, u))) {
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/.exec(p))) {
      await proxy(req, res, m[1], m[2], u.search);
    } else if ((m = /^\/api\/datasources\/uid\/([^/]+)$/.exec(p))) {
      const ds = byUid.get(m[1]);
      if (!ds) {
        sendJson(res, 404, { message: 'Data source not found' });
        return;
      }
      const { secureJsonData, ...rest } = ds;
      const secureJsonFields = Object.fromEntries(Object.keys(secureJsonData).map((k) => [k, true]));
      sendJson(res, 200, { ...rest, id: o.datasources.indexOf(ds) + 1, readOnly: true, secureJsonFields });
    } else if ((m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(p))) {
      const d = dashboards.find((x) => x.uid === m![1]);
      if (!d) {
        sendJson(res, 404, { message: 'Dashboard not found' });
        return;
      }
      sendJson(res, 200, {
        dashboard: readJson(path.join(o.dashboardsDir, d.file)),
        meta: { provisioned: true, provisionedExternalId: d.file, slug: d.uid },
      });
    } else if (p === '/api/frontend/settings') {
      sendJson(res, 200, frontendSettings());
    } else if (p === '/api/search') {
      sendJson(
        res,
        200,
        dashboards.map((d) => ({ uid: d.uid, title: d.title, type: 'dash-db', url: `/d/${d.uid}` }))
      );
    } else if (p.startsWith(`/public/plugins/${appId}/`)) {
      sendFile(res, o.distDir, p.slice(`/public/plugins/${appId}/`.length));
    } else if (p.startsWith('/host/')) {
      sendFile(res, o.hostDir, p.slice('/host/'.length));
    } else if (p === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else if (/^\/d\/[^/]+/.test(p) || p === '/') {
      sendFile(res, o.hostDir, 'index.html');
    } else {
      sendJson(res, 404, { message: `not found: ${p}` });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, { message: e instanceof Error ? e.message : String(e) });
      } else {
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    dashboards,
    proxyLog,
    datasource(uid) {
      const ds = byUid.get(uid);
      if (!ds) {
        throw new Error(`no provisioned data source ${uid}`);
      }
      return ds;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
