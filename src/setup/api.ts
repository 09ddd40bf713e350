// Grafana's HTTP API as the setup and home pages use it (docs: developers/http_api/data_source, dashboard,
// folder, alerting_provisioning, plugin settings). Every call goes through getBackendSrv (the signed-in user's
// session; no token in the page) with Grafana's own error toasts off: the pages show each failure in place.
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export interface ApiFailure {
  status?: number;
  message: string;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  data?: unknown,
  headers?: Record<string, string>
): Promise<T> {
  const res = await lastValueFrom(
    getBackendSrv().fetch<T>({ method, url, data, headers, showErrorAlert: false, showSuccessAlert: false })
  );
  return res.data;
}

/** Status and Grafana's `message` of a failed call (its API answers errors as {message}). */
export function failure(e: unknown): ApiFailure {
  if (isFetchError(e)) {
    const data = e.data as { message?: string } | string | undefined;
    const message = typeof data === 'string' ? data : data?.message;
    return { status: e.status, message: message || `${e.status} ${e.statusText ?? ''}`.trim() };
  }
  return { message: e instanceof Error ? e.message : String(e) };
}

/** Alerting provisioning writes with this header stay editable in Grafana's alerting UI. */
export const EDITABLE = { 'X-Disable-Provenance': 'true' };

// ---- data sources ------------------------------------------------------------------------------------------

/** GET /api/datasources item (DataSourceListItemDTO) and GET /api/datasources/uid/<uid> (DataSource). */
export interface DataSourceDto {
  id: number;
  uid: string;
  name: string;
  type: string;
  access: string;
  url?: string;
  isDefault: boolean;
  readOnly: boolean;
  jsonData: Record<string, unknown>;
  /** Which secure fields are set; their values never come back. */
  secureJsonFields?: Record<string, boolean>;
  version?: number;
}

export const listDataSources = () => api<DataSourceDto[]>('GET', '/api/datasources');

export const getDataSource = (uid: string) =>
  api<DataSourceDto>('GET', `/api/datasources/uid/${encodeURIComponent(uid)}`);

/** Body of POST /api/datasources and PUT /api/datasources/uid/<uid>. */
export interface DataSourceWrite {
  uid: string;
  name: string;
  type: string;
  access: 'proxy';
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
  version?: number;
}

/** Reply of both writes: {datasource, id, message, name}. */
export interface DataSourceWritten {
  datasource: DataSourceDto;
  id: number;
  message: string;
  name: string;
}

export const createDataSource = (body: DataSourceWrite) => api<DataSourceWritten>('POST', '/api/datasources', body);

export const updateDataSource = (body: DataSourceWrite) =>
  api<DataSourceWritten>('PUT', `/api/datasources/uid/${encodeURIComponent(body.uid)}`, body);

// ---- app plugin settings -----------------------------------------------------------------------------------

export interface PluginSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonFields?: Record<string, boolean>;
}

export const getPluginSettings = (appId: string) => api<PluginSettings>('GET', `/api/plugins/${appId}/settings`);

/**
 * POST /api/plugins/<id>/settings replaces jsonData as a whole: callers pass the current jsonData with their part
 * changed. secureJsonData is sent only when given (Grafana keeps the stored secure fields otherwise).
 */
export const savePluginSettings = (
  appId: string,
  s: { enabled: boolean; pinned: boolean; jsonData: Record<string, unknown>; secureJsonData?: Record<string, string> }
) => api<unknown>('POST', `/api/plugins/${appId}/settings`, s);

// ---- folders and dashboards --------------------------------------------------------------------------------

export interface Folder {
  uid: string;
  title: string;
}

export const listFolders = () => api<Folder[]>('GET', '/api/folders');
export const createFolder = (title: string) => api<Folder>('POST', '/api/folders', { title });

/** GET /api/plugins/<id>/dashboards item (PluginDashboardDTO). */
export interface PluginDashboard {
  uid: string;
  title: string;
  path: string;
  imported: boolean;
  importedUrl?: string;
  revision: number;
  importedRevision?: number;
  removed: boolean;
}

export const listPluginDashboards = (appId: string) =>
  api<PluginDashboard[]>('GET', `/api/plugins/${appId}/dashboards`);

/** POST /api/dashboards/import body for a dashboard the plugin ships. */
export interface DashboardImport {
  pluginId: string;
  path: string;
  overwrite: boolean;
  folderUid: string;
  inputs: Array<{ name: string; type: 'datasource'; pluginId: string; value: string }>;
}

export const importDashboard = (body: DashboardImport) =>
  api<PluginDashboard & { folderUid: string }>('POST', '/api/dashboards/import', body);

/** GET /api/search hit. */
export interface SearchHit {
  uid: string;
  title: string;
  url: string;
  folderTitle?: string;
}

export const searchDashboards = (uids: string[]) =>
  api<SearchHit[]>(
    'GET',
    `/api/search?type=dash-db&${uids.map((u) => `dashboardUIDs=${encodeURIComponent(u)}`).join('&')}`
  );

// ---- alerting provisioning ---------------------------------------------------------------------------------

/** ProvisionedAlertRule, as GET /api/v1/provisioning/alert-rules lists them (only the fields we read). */
export interface ProvisionedRule {
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
}

export const listAlertRules = () => api<ProvisionedRule[]>('GET', '/api/v1/provisioning/alert-rules');

/** PUT /api/v1/provisioning/folder/<folder>/rule-groups/<group>: creates or replaces the whole group at once. */
export const putRuleGroup = (folderUid: string, group: { title: string }) =>
  api<unknown>(
    'PUT',
    `/api/v1/provisioning/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group.title)}`,
    group,
    EDITABLE
  );

export interface ContactPoint {
  uid: string;
  name: string;
  type: string;
}

export const listContactPoints = () => api<ContactPoint[]>('GET', '/api/v1/provisioning/contact-points');

/** A notification policy (Route): only the fields we touch; everything else is sent back as it came. */
export interface Route {
  receiver?: string;
  object_matchers?: Array<[string, string, string]>;
  routes?: Route[];
  [key: string]: unknown;
}

export const getPolicyTree = () => api<Route>('GET', '/api/v1/provisioning/policies');
export const putPolicyTree = (tree: Route) => api<unknown>('PUT', '/api/v1/provisioning/policies', tree, EDITABLE);

/**
 * Changes the app's jsonData from its current stored value (read fresh, so parts other pages saved in the
 * meantime, e.g. the Playground's providers, survive), enabling the app. Returns the jsonData written.
 */
export async function updateAppJsonData(
  appId: string,
  change: (jsonData: Record<string, unknown>) => Record<string, unknown>
): Promise<Record<string, unknown>> {
  const current = await getPluginSettings(appId);
  const jsonData = change(current.jsonData ?? {});
  // Enabling the app also pins it to the navigation, as Grafana's own Enable button does.
  await savePluginSettings(appId, { enabled: true, pinned: current.enabled ? current.pinned : true, jsonData });
  return jsonData;
}
