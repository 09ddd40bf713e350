// A stand-in for the parts of Grafana's HTTP API the setup and home pages call, with request and response shapes
// as Grafana's HTTP API docs give them (developers/http_api: data_source, dashboard import, folder, alerting
// provisioning, plugin settings), an in-memory store behind them, and the data-source proxy (plugin.json routes,
// key added server-side; e2e/dashboards/routes.ts). It serves the BUILT plugin under /public/plugins/<id>/ and the
// host page at /plugins/<id> (configuration page) and /a/<id> (home). Every API request is logged with its body,
// headers and the response body, so a test can assert exact requests and look for the key anywhere.
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import path from 'path';
import { matchRoute, upstreamFor, type PluginRoute } from '../dashboards/routes';
import { evaluateImport } from './dashboardImport';

export interface StoredDataSource {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  access: string;
  url: string;
  isDefault: boolean;
  readOnly: boolean;
  jsonData: Record<string, unknown>;
  /** Decrypted, as Grafana's server holds it; never in a response. */
  secureJsonData: Record<string, string>;
  version: number;
}

export interface StoredDashboard {
  dashboard: Record<string, unknown>;
  folderUid: string;
  pluginId?: string;
  version: number;
}

export interface StoredRule extends Record<string, unknown> {
  uid: string;
  folderUID: string;
  ruleGroup: string;
  provenance: string;
}

export interface LoggedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  response: string;
}

export interface StandInOptions {
  distDir: string;
  hostDir: string;
  datasources?: Array<Partial<StoredDataSource> & { uid: string; name: string; type: string }>;
  folders?: Array<{ uid: string; title: string }>;
  contactPoints?: Array<{ uid: string; name: string; type: string }>;
  policies?: Record<string, unknown>;
  pluginEnabled?: boolean;
}

export interface StandIn {
  url: string;
  appId: string;
  log: LoggedRequest[];
  datasources: Map<string, StoredDataSource>;
  dashboards: Map<string, StoredDashboard>;
  folders: Array<{ id: number; uid: string; title: string }>;
  rules: Map<string, StoredRule>;
  groups: Map<string, { interval: number }>;
  policies: Record<string, unknown>;
  plugin: { enabled: boolean; pinned: boolean; jsonData: Record<string, unknown> };
  /** The org role of the signed-in user: a Viewer gets 403 where Grafana requires an admin. */
  role: 'Admin' | 'Viewer';
  /** API requests whose path starts with `prefix`, from log index `since` on. */
  calls(prefix?: string, since?: number): LoggedRequest[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const ICONS = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist/public/img/icons');

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

interface PluginJson {
  id: string;
  type: string;
  name: string;
  routes?: PluginRoute[];
  includes?: Array<{ type: string; name?: string; path?: string }>;
}

export async function startGrafanaStandIn(o: StandInOptions): Promise<StandIn> {
  const app = readJson<PluginJson>(path.join(o.distDir, 'plugin.json'));
  const appId = app.id;
  const nested = (app.includes ?? [])
    .filter((i) => i.type === 'datasource' && i.path)
    .map((i) => ({
      json: readJson<PluginJson>(path.join(o.distDir, i.path!)),
      baseUrl: `/public/plugins/${appId}/${path.posix.dirname(i.path!)}`,
    }));
  const dashboardIncludes = (app.includes ?? []).filter((i) => i.type === 'dashboard' && i.path).map((i) => i.path!);

  let nextId = 1;
  const datasources = new Map<string, StoredDataSource>();
  for (const d of o.datasources ?? []) {
    datasources.set(d.uid, {
      id: nextId++,
      orgId: 1,
      access: 'proxy',
      url: '',
      isDefault: false,
      readOnly: false,
      jsonData: {},
      secureJsonData: {},
      version: 1,
      ...d,
    });
  }
  const folders = (o.folders ?? []).map((f) => ({ id: nextId++, ...f }));
  const dashboards = new Map<string, StoredDashboard>();
  const rules = new Map<string, StoredRule>();
  const groups = new Map<string, { interval: number }>();
  const log: LoggedRequest[] = [];

  const s: StandIn = {
    url: '',
    appId,
    log,
    datasources,
    dashboards,
    folders,
    rules,
    groups,
    policies: o.policies ?? { receiver: 'grafana-default-email', group_by: ['grafana_folder', 'alertname'] },
    plugin: { enabled: o.pluginEnabled ?? false, pinned: false, jsonData: {} },
    role: 'Admin',
    calls: (prefix = '/api/', since = 0) => log.slice(since).filter((r) => r.url.startsWith(prefix)),
    close: async () => {},
  };

  const requireAdmin = () => {
    if (s.role !== 'Admin') {
      throw new HttpError(403, 'You’ll need additional permissions to perform this action.');
    }
  };

  /** DataSource DTO (GET /api/datasources/uid/<uid>): secure fields only as booleans. */
  const dto = (d: StoredDataSource) => {
    const { secureJsonData, ...rest } = d;
    return { ...rest, secureJsonFields: Object.fromEntries(Object.keys(secureJsonData).map((k) => [k, true])) };
  };
  /** DataSourceListItemDTO (GET /api/datasources): no secure fields, no version. */
  const listItem = ({ secureJsonData: _secure, version: _version, ...rest }: StoredDataSource) => ({
    ...rest,
    typeName: rest.type,
  });

  function dataSourceBody(body: Record<string, unknown>, existing?: StoredDataSource): StoredDataSource {
    if (typeof body.name !== 'string' || body.name === '' || typeof body.type !== 'string' || body.type === '') {
      throw new HttpError(400, 'bad request data');
    }
    const secure = (body.secureJsonData ?? {}) as Record<string, string>;
    return {
      id: existing?.id ?? nextId++,
      orgId: 1,
      uid: existing?.uid ?? (typeof body.uid === 'string' && body.uid ? body.uid : `ds${nextId}`),
      name: body.name,
      type: body.type,
      access: String(body.access ?? 'proxy'),
      url: String(body.url ?? ''),
      isDefault: Boolean(body.isDefault ?? existing?.isDefault),
      readOnly: false,
      jsonData: (body.jsonData ?? {}) as Record<string, unknown>,
      // Grafana keeps stored secure values that the update does not mention.
      secureJsonData: { ...(existing?.secureJsonData ?? {}), ...secure },
      version: (existing?.version ?? 0) + 1,
    };
  }

  function pluginDashboards() {
    return dashboardIncludes.map((p) => {
      const file = readJson<Record<string, unknown>>(path.join(o.distDir, p));
      const stored = dashboards.get(String(file.uid));
      const imported = stored?.pluginId === appId;
      return {
        pluginId: appId,
        uid: String(file.uid),
        title: String(file.title),
        path: p,
        revision: Number(file.revision ?? 1),
        imported,
        importedUri: imported ? `db/${slugify(String(file.title))}` : '',
        importedUrl: imported ? `/d/${file.uid}/${slugify(String(file.title))}` : '',
        importedRevision: imported ? Number(stored!.dashboard.revision ?? 1) : 0,
        slug: '',
        dashboardId: 0,
        folderId: 0,
        description: '',
        removed: false,
      };
    });
  }

  function importDashboard(body: Record<string, unknown>) {
    const rel = String(body.path ?? '');
    if (body.pluginId !== appId || !dashboardIncludes.includes(rel)) {
      throw new HttpError(404, 'Plugin dashboard not found');
    }
    const template = readJson<Record<string, unknown>>(path.join(o.distDir, rel));
    let dashboard: Record<string, unknown>;
    try {
      dashboard = evaluateImport(template, (body.inputs ?? []) as Array<{ name: string; type: string; value: string }>);
    } catch (e) {
      throw new HttpError(400, (e as Error).message);
    }
    const folderUid = String(body.folderUid ?? '');
    if (folderUid && !folders.some((f) => f.uid === folderUid)) {
      throw new HttpError(404, 'folder not found');
    }
    const uid = String(dashboard.uid);
    const existing = dashboards.get(uid);
    if (existing && !body.overwrite) {
      throw new HttpError(412, 'A dashboard with the same uid already exists');
    }
    const version = (existing?.version ?? 0) + 1;
    dashboards.set(uid, { dashboard: { ...dashboard, version }, folderUid, pluginId: appId, version });
    const slug = slugify(String(dashboard.title));
    return {
      uid,
      pluginId: appId,
      title: dashboard.title,
      imported: true,
      importedUri: `db/${slug}`,
      importedUrl: `/d/${uid}/${slug}`,
      slug,
      dashboardId: 1,
      folderId: folders.find((f) => f.uid === folderUid)?.id ?? 0,
      folderUid,
      importedRevision: Number(dashboard.revision ?? 0),
      revision: Number(dashboard.revision ?? 0),
      description: '',
      path: rel,
      removed: false,
    };
  }

  function putRuleGroup(folderUid: string, group: string, body: Record<string, unknown>, provenance: string) {
    if (!folders.some((f) => f.uid === folderUid)) {
      throw new HttpError(404, 'folder does not exist');
    }
    const interval = Number(body.interval);
    if (!Number.isInteger(interval) || interval <= 0 || interval % 10 !== 0) {
      throw new HttpError(400, 'invalid rule group: interval must be a positive multiple of 10 seconds');
    }
    const list = (body.rules ?? []) as Array<Record<string, unknown>>;
    for (const r of list) {
      if (typeof r.title !== 'string' || typeof r.condition !== 'string' || !Array.isArray(r.data) || !r.data.length) {
        throw new HttpError(400, `invalid alert rule ${String(r.uid)}: title, condition and data are required`);
      }
      if (r.folderUID !== undefined && r.folderUID !== folderUid) {
        throw new HttpError(400, `invalid alert rule ${String(r.uid)}: folderUID does not match the group's folder`);
      }
      for (const q of r.data as Array<{ refId: string; datasourceUid: string }>) {
        if (q.datasourceUid !== '__expr__' && !datasources.has(q.datasourceUid)) {
          throw new HttpError(
            400,
            `invalid alert rule ${String(r.uid)}: failed to build query '${q.refId}': data source not found`
          );
        }
      }
    }
    // The group is replaced: rules of this folder/group that the body does not name are deleted.
    for (const [uid, r] of rules) {
      if (r.folderUID === folderUid && r.ruleGroup === group && !list.some((x) => x.uid === uid)) {
        rules.delete(uid);
      }
    }
    for (const r of list) {
      rules.set(String(r.uid), {
        ...r,
        uid: String(r.uid),
        folderUID: folderUid,
        ruleGroup: group,
        orgID: 1,
        provenance,
      });
    }
    groups.set(`${folderUid}/${group}`, { interval });
    return { title: group, folderUid, interval, rules: list };
  }

  function frontendSettings() {
    const out: Record<string, unknown> = {};
    for (const d of datasources.values()) {
      const plugin = nested.find((p) => p.json.id === d.type);
      out[d.name] = {
        id: d.id,
        uid: d.uid,
        type: d.type,
        name: d.name,
        access: d.access,
        url: `/api/datasources/proxy/uid/${d.uid}`,
        isDefault: d.isDefault,
        readOnly: d.readOnly,
        jsonData: d.jsonData,
        meta: plugin
          ? { ...plugin.json, module: `${plugin.baseUrl}/module.js`, baseUrl: plugin.baseUrl, info: {}, metrics: true }
          : { id: d.type, type: 'datasource', name: d.type, info: {}, metrics: true },
      };
    }
    const def = [...datasources.values()].find((d) => d.isDefault);
    return { datasources: out, defaultDatasource: def?.name ?? '', appModule: `/public/plugins/${appId}/module.js` };
  }

  async function proxy(req: http.IncomingMessage, uid: string, rest: string, search: string, body: Buffer) {
    const ds = datasources.get(uid);
    if (!ds) {
      throw new HttpError(404, 'Data source not found');
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const plugin = nested.find((p) => p.json.id === ds.type);
    const route = matchRoute(plugin?.json.routes ?? [], rest, method);
    if (!route?.url) {
      throw new HttpError(502, `no plugin route of ${ds.type} matches ${rest}`);
    }
    const up = upstreamFor(route, rest, search, { ...ds, secureJsonData: ds.secureJsonData });
    try {
      const res = await fetch(up.url, {
        method,
        headers: {
          ...(req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : {}),
          ...up.headers,
        },
        body: method === 'GET' ? undefined : new Uint8Array(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      if (res.status === 401) {
        // ds_proxy.go: an upstream 401 would sign the user out of Grafana, so it becomes this 400.
        return { status: 400, type: 'text/plain; charset=utf-8', text: 'Authentication to data source failed' };
      }
      return { status: res.status, type: res.headers.get('content-type') ?? 'application/json', text };
    } catch {
      return { status: 502, type: 'text/plain; charset=utf-8', text: '' };
    }
  }

  /** The JSON API. Returns [status, body]. */
  async function api(req: http.IncomingMessage, u: URL, raw: Buffer): Promise<[number, unknown]> {
    const method = req.method ?? 'GET';
    const p = u.pathname.replace(/\/$/, '');
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    const provenance = req.headers['x-disable-provenance'] ? '' : 'api';
    let m: RegExpExecArray | null;

    if (p === '/api/frontend/settings') {
      return [200, frontendSettings()];
    }
    if (p === '/api/datasources' && method === 'GET') {
      requireAdmin();
      return [200, [...datasources.values()].map(listItem)];
    }
    if (p === '/api/datasources' && method === 'POST') {
      requireAdmin();
      const d = dataSourceBody(body);
      if ([...datasources.values()].some((x) => x.name === d.name)) {
        throw new HttpError(409, 'data source with the same name already exists');
      }
      if (datasources.has(d.uid)) {
        throw new HttpError(409, 'data source with the same uid already exists');
      }
      datasources.set(d.uid, d);
      return [200, { datasource: dto(d), id: d.id, message: 'Datasource added', name: d.name }];
    }
    if ((m = /^\/api\/datasources\/uid\/([^/]+)$/.exec(p))) {
      requireAdmin();
      const d = datasources.get(decodeURIComponent(m[1]));
      if (!d) {
        throw new HttpError(404, 'Data source not found');
      }
      if (method === 'GET') {
        return [200, dto(d)];
      }
      if (method === 'PUT') {
        if (d.readOnly) {
          throw new HttpError(403, 'Cannot update read-only data source');
        }
        if (body.version !== undefined && Number(body.version) < d.version) {
          throw new HttpError(409, 'Datasource has already been updated by someone else. Please reload and try again');
        }
        const next = dataSourceBody(body, d);
        datasources.set(d.uid, next);
        return [200, { datasource: dto(next), id: next.id, message: 'Datasource updated', name: next.name }];
      }
    }
    if ((m = /^\/api\/plugins\/([^/]+)\/settings$/.exec(p)) && m[1] === appId) {
      if (method === 'GET') {
        return [200, { id: appId, type: 'app', name: app.name, ...s.plugin, secureJsonFields: {} }];
      }
      requireAdmin();
      s.plugin = {
        enabled: Boolean(body.enabled),
        pinned: Boolean(body.pinned),
        jsonData: (body.jsonData ?? {}) as Record<string, unknown>,
      };
      return [200, { message: 'Plugin settings updated' }];
    }
    if ((m = /^\/api\/plugins\/([^/]+)\/dashboards$/.exec(p)) && m[1] === appId) {
      requireAdmin();
      if (!s.plugin.enabled) {
        throw new HttpError(404, 'Plugin not enabled');
      }
      return [200, pluginDashboards()];
    }
    if (p === '/api/dashboards/import' && method === 'POST') {
      requireAdmin();
      return [200, importDashboard(body)];
    }
    if (p === '/api/search') {
      const wanted = u.searchParams.getAll('dashboardUIDs');
      return [
        200,
        [...dashboards.values()]
          .filter((d) => !wanted.length || wanted.includes(String(d.dashboard.uid)))
          .map((d) => ({
            uid: d.dashboard.uid,
            title: d.dashboard.title,
            type: 'dash-db',
            url: `/d/${d.dashboard.uid}/${slugify(String(d.dashboard.title))}`,
            folderUid: d.folderUid,
            folderTitle: folders.find((f) => f.uid === d.folderUid)?.title,
          })),
      ];
    }
    if (p === '/api/folders' && method === 'GET') {
      return [200, folders.map(({ id, uid, title }) => ({ id, uid, title }))];
    }
    if (p === '/api/folders' && method === 'POST') {
      requireAdmin();
      if (typeof body.title !== 'string' || !body.title) {
        throw new HttpError(400, 'folder title cannot be empty');
      }
      if (folders.some((f) => f.title === body.title)) {
        throw new HttpError(409, 'a folder with the same name already exists');
      }
      const f = { id: nextId++, uid: `f${nextId}${Math.random().toString(36).slice(2, 8)}`, title: body.title };
      folders.push(f);
      return [
        200,
        { ...f, url: `/dashboards/f/${f.uid}/${slugify(f.title)}`, hasAcl: false, canSave: true, version: 1 },
      ];
    }
    if (p.startsWith('/api/v1/provisioning/')) {
      requireAdmin();
      if (p === '/api/v1/provisioning/alert-rules' && method === 'GET') {
        return [200, [...rules.values()]];
      }
      if ((m = /^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/.exec(p))) {
        const [folderUid, group] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
        if (method === 'PUT') {
          return [200, putRuleGroup(folderUid, group, body, provenance)];
        }
        const list = [...rules.values()].filter((r) => r.folderUID === folderUid && r.ruleGroup === group);
        if (!list.length) {
          throw new HttpError(404, 'rule group not found');
        }
        return [200, { title: group, folderUid, interval: groups.get(`${folderUid}/${group}`)?.interval, rules: list }];
      }
      if (p === '/api/v1/provisioning/contact-points' && method === 'GET') {
        return [200, o.contactPoints ?? []];
      }
      if (p === '/api/v1/provisioning/policies') {
        if (method === 'GET') {
          return [200, s.policies];
        }
        if (method === 'PUT') {
          if (typeof body.receiver !== 'string') {
            throw new HttpError(400, 'invalid object specification: root route must have a receiver');
          }
          s.policies = { ...body, ...(provenance ? { provenance } : {}) };
          return [202, { message: 'policies updated' }];
        }
      }
    }
    throw new HttpError(404, `not found: ${method} ${p}`);
  }

  function sendFile(res: http.ServerResponse, root: string, rel: string) {
    const file = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': TYPES['.json'] });
      res.end(JSON.stringify({ message: `not found: ${rel}` }));
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    const p = u.pathname;
    if (p.startsWith(`/public/plugins/${appId}/`)) {
      return sendFile(res, o.distDir, p.slice(`/public/plugins/${appId}/`.length));
    }
    if (p.startsWith('/host/')) {
      return sendFile(res, o.hostDir, p.slice('/host/'.length));
    }
    // @grafana/ui loads its icons from public/build/img/icons/, relative to the page.
    const icon = /\/public\/build\/img\/icons\/(.+\.svg)$/.exec(p);
    if (icon) {
      return sendFile(res, ICONS, icon[1]);
    }
    if (p === `/plugins/${appId}` || p.startsWith(`/a/${appId}`)) {
      return sendFile(res, o.hostDir, 'index.html');
    }
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
    let status: number;
    let type = TYPES['.json'];
    let text: string;
    const proxied = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/.exec(p);
    try {
      if (proxied) {
        ({ status, type, text } = await proxy(req, proxied[1], proxied[2], u.search, raw));
      } else {
        const [st, b] = await api(req, u, raw);
        status = st;
        text = JSON.stringify(b);
      }
    } catch (e) {
      status = e instanceof HttpError ? e.status : 500;
      text = JSON.stringify({ message: (e as Error).message });
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([k]) =>
          ![
            'host',
            'connection',
            'user-agent',
            'accept-encoding',
            'accept-language',
            'referer',
            'origin',
            'sec-fetch-site',
            'sec-fetch-mode',
            'sec-fetch-dest',
          ].includes(k) && !k.startsWith('sec-ch')
      )
    ) as Record<string, string>;
    log.push({
      method: req.method ?? 'GET',
      url: p + u.search,
      headers,
      body: raw.toString('utf8'),
      status,
      response: text,
    });
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(text);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return s;
}
