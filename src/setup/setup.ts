// What the setup page sends, as pure functions of what the admin chose (tested without a browser), and the
// setup state the app keeps in its jsonData.
import { getDataSourceSrv } from '@grafana/runtime';
import type { DataSourceInstanceSettings, TestDataSourceResponse } from '@grafana/data';
import alertRules from './alert-rules.json';
import type { DashboardImport, DataSourceDto, DataSourceWrite, Route } from './api';
import { APP_ID, DS_INPUTS, placeholder, PROMETHEUS_DS_TYPE, RLHF_DS_TYPE } from './inputs';

export { DEFAULT_FOLDER } from './inputs';

/** The app's own part of its plugin jsonData (other parts, e.g. the Playground's, are kept as they are). */
export interface SetupState {
  datasourceUid?: string;
  prometheusUid?: string;
  folderUid?: string;
}

export function setupOf(jsonData: unknown): SetupState {
  return ((jsonData ?? {}) as { setup?: SetupState }).setup ?? {};
}

export function withSetup(jsonData: unknown, patch: SetupState): Record<string, unknown> {
  const j = (jsonData ?? {}) as Record<string, unknown>;
  return { ...j, setup: { ...setupOf(j), ...patch } };
}

/**
 * Set by provisioning/plugins/apps.yaml. Grafana writes a provisioned app's jsonData from that file at every start,
 * replacing what the app's pages saved (secure fields are kept), so the pages say so and offer the entry to keep.
 */
export const isProvisioned = (jsonData: unknown): boolean =>
  (jsonData as { provisioned?: unknown } | undefined)?.provisioned === true;

/**
 * The apps.yaml that provisions the app with `jsonData` as it is now. JSON is YAML (flow style): one line, written
 * and read back exactly, whatever the providers' names hold.
 */
export function appsYaml(jsonData: Record<string, unknown>): string {
  return [
    'apiVersion: 1',
    '',
    'apps:',
    `  - type: ${APP_ID}`,
    '    org_id: 1',
    '    disabled: false',
    `    jsonData: ${JSON.stringify({ ...jsonData, provisioned: true })}`,
    '',
  ].join('\n');
}

/** Name and uid a new RLHF data source gets: the ones provisioning uses, so both setups look alike. */
export const NEW_DATASOURCE = { name: 'RLHF Monitor', uid: 'rlhf' };

export function urlProblem(url: string): string | undefined {
  if (url.trim() === '') {
    return 'Enter the URL where Grafana’s server reaches the service, e.g. http://rlhf-monitor:8400.';
  }
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return 'The URL must be absolute, e.g. http://rlhf-monitor:8400.';
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'The URL must start with http:// or https://.';
}

/**
 * Body for POST /api/datasources (no `existing`) or PUT /api/datasources/uid/<uid>. The key goes in
 * secureJsonData only when given ('' clears it): Grafana keeps the stored key when the field is absent.
 */
export function dataSourceWrite(existing: DataSourceDto | undefined, url: string, apiKey?: string): DataSourceWrite {
  return {
    uid: existing?.uid ?? NEW_DATASOURCE.uid,
    name: existing?.name ?? NEW_DATASOURCE.name,
    type: RLHF_DS_TYPE,
    access: 'proxy',
    jsonData: { ...(existing?.jsonData ?? {}), url: url.trim() },
    ...(apiKey !== undefined ? { secureJsonData: { apiKey } } : {}),
    ...(existing?.version !== undefined ? { version: existing.version } : {}),
  };
}

/** The data source of ours that setup manages: the one it saved before, else the first of our type. */
export function pickRlhf(all: DataSourceDto[], saved?: string): DataSourceDto | undefined {
  const ours = all.filter((d) => d.type === RLHF_DS_TYPE);
  return ours.find((d) => d.uid === saved) ?? ours[0];
}

/** Prometheus data sources, and the one to preselect: the saved one, else the default, else the first. */
export function prometheusChoices(all: DataSourceDto[], saved?: string): { list: DataSourceDto[]; uid?: string } {
  const list = all.filter((d) => d.type === PROMETHEUS_DS_TYPE);
  const pick = list.find((d) => d.uid === saved) ?? list.find((d) => d.isDefault) ?? list[0];
  return { list, uid: pick?.uid };
}

/**
 * Runs the data source's own test (what "Save & test" runs): it is a frontend data source, so Grafana has no
 * server-side health check for it; the test goes through the data-source proxy to the service. Grafana's
 * frontend caches the data source list, so it is reloaded first (the data source may have just been created).
 */
export async function testDataSource(uid: string): Promise<TestDataSourceResponse> {
  const srv = getDataSourceSrv();
  await srv.reload();
  const ds = await srv.get(uid);
  return ds.testDatasource();
}

/** For any signed-in user (the list comes from Grafana's boot data): the saved RLHF data source, else the first. */
export async function findRlhf(savedUid?: string): Promise<DataSourceInstanceSettings | undefined> {
  const srv = getDataSourceSrv();
  await srv.reload();
  const list = srv.getList({ type: RLHF_DS_TYPE });
  return list.find((d) => d.uid === savedUid) ?? list[0];
}

export function dashboardImport(
  path: string,
  folderUid: string,
  rlhfUid: string,
  prometheusUid: string
): DashboardImport {
  return {
    pluginId: APP_ID,
    path,
    overwrite: true,
    folderUid,
    inputs: [
      { name: DS_INPUTS.rlhf, type: 'datasource', pluginId: RLHF_DS_TYPE, value: rlhfUid },
      { name: DS_INPUTS.prometheus, type: 'datasource', pluginId: PROMETHEUS_DS_TYPE, value: prometheusUid },
    ],
  };
}

export const RULE_GROUP = alertRules.title;
export const RULE_UIDS = alertRules.rules.map((r) => r.uid);

/** The generated rule group (src/setup/alert-rules.json) on the chosen Prometheus, in the chosen folder. */
export function ruleGroupFor(prometheusUid: string, folderUid: string) {
  const text = JSON.stringify(alertRules).split(placeholder(DS_INPUTS.prometheus)).join(prometheusUid);
  const group = JSON.parse(text) as typeof alertRules;
  return { ...group, folderUid, rules: group.rules.map((r) => ({ ...r, folderUID: folderUid })) };
}

/** Every rule carries this label (dashboards/src/alerting.ts); a child route matches the rules by it. */
export const RULE_MATCHER: [string, string, string] = ['component', '=', alertRules.rules[0].labels.component];

const isOurRoute = (r: Route, receiver: string) =>
  r.receiver === receiver &&
  (r.object_matchers ?? []).some(
    (m) => m[0] === RULE_MATCHER[0] && m[1] === RULE_MATCHER[1] && m[2] === RULE_MATCHER[2]
  );

/**
 * The policy tree with one child route added at the top level (the rest untouched), or `added: false` when a
 * route to that contact point for our rules is already there.
 */
export function withChildRoute(tree: Route, receiver: string): { tree: Route; added: boolean } {
  const routes = tree.routes ?? [];
  if (routes.some((r) => isOurRoute(r, receiver))) {
    return { tree, added: false };
  }
  // First among the children: routes are matched in order, and a sibling above could otherwise take our alerts.
  return { tree: { ...tree, routes: [{ receiver, object_matchers: [RULE_MATCHER] }, ...routes] }, added: true };
}
