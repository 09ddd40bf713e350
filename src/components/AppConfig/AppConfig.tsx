// The app's configuration page (admins only): connect the metrics service, pick Prometheus, import the dashboards
// the app ships, create the alert rules, and optionally route them to a contact point. Every step talks to
// Grafana's HTTP API (src/setup/api.ts) and shows its state and what to do when it fails.
import React, { useCallback, useEffect, useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import {
  Alert,
  Button,
  Checkbox,
  Combobox,
  Field,
  Input,
  LoadingPlaceholder,
  SecretInput,
  Stack,
  Text,
} from '@grafana/ui';
import {
  createDataSource,
  createFolder,
  failure,
  getDataSource,
  getPluginSettings,
  getPolicyTree,
  importDashboard,
  listAlertRules,
  listContactPoints,
  listDataSources,
  listFolders,
  listPluginDashboards,
  putPolicyTree,
  putRuleGroup,
  updateAppJsonData,
  updateDataSource,
  type ApiFailure,
  type ContactPoint,
  type DataSourceDto,
  type Folder,
  type PluginDashboard,
  type ProvisionedRule,
} from '../../setup/api';
import {
  dashboardImport,
  dataSourceWrite,
  DEFAULT_FOLDER,
  isProvisioned,
  pickRlhf,
  prometheusChoices,
  RULE_GROUP,
  RULE_UIDS,
  ruleGroupFor,
  setupOf,
  testDataSource,
  urlProblem,
  withChildRoute,
  withSetup,
  type SetupState,
} from '../../setup/setup';
import { ProvisionedNotice } from './ProvisionedNotice';
import { Step, type StepStatus } from './Step';
import { ProvidersSettings } from '../../pages/Playground/ProvidersSettings';

type Props = PluginConfigPageProps<AppPluginMeta>;

/** Folder choice value that means "create the default folder first". */
const NEW_FOLDER = '__new__';

interface Loaded {
  all: DataSourceDto[];
  rlhf?: DataSourceDto;
  folders: Folder[];
  dashboards: PluginDashboard[];
  rules: ProvisionedRule[];
  setup: SetupState;
}

async function load(appId: string): Promise<Loaded> {
  const [settings, all, folders, rules] = await Promise.all([
    getPluginSettings(appId),
    listDataSources(),
    listFolders(),
    listAlertRules(),
  ]);
  const setup = setupOf(settings.jsonData);
  const item = pickRlhf(all, setup.datasourceUid);
  // The list omits secureJsonFields: the single data source says whether a key is stored.
  const rlhf = item ? await getDataSource(item.uid) : undefined;
  // Grafana answers 404 here while the app is disabled; saving any step enables it.
  const dashboards = settings.enabled ? await listPluginDashboards(appId) : [];
  return { all, rlhf, folders, dashboards, rules: rules.filter((r) => RULE_UIDS.includes(r.uid)), setup };
}

/** What the admin can do about a failed call, by status. */
function hintFor(f: ApiFailure, what: string): string {
  switch (f.status) {
    case 401:
      return 'Your Grafana session has expired: sign in again and reload this page.';
    case 403:
      return `Your Grafana role may not ${what}: an organisation admin has to run this step.`;
    case 409:
      return 'Something with the same name or uid already exists; rename or remove it, then try again.';
    default:
      return `Grafana answered ${f.status ?? 'nothing'}; check its server log, then try again.`;
  }
}

/** The data source test's own message tells what failed; add the next step for the two usual causes. */
function connectionHint(message: string): string {
  if (message.startsWith('Wrong API key')) {
    return 'Enter the RLHF_API_KEY the service was started with (press Reset to replace a stored key), then press Save and test.';
  }
  if (message.startsWith('Unreachable')) {
    return 'Check the URL. Grafana’s server connects to it, not your browser: inside Docker Compose use the service name (http://rlhf-monitor:8400).';
  }
  return 'Fix the service (its log says more), then press Save and test.';
}

const fail = (f: ApiFailure, what: string, title: string): StepStatus => ({
  phase: 'failed',
  message: `${title}: ${f.message}`,
  hint: hintFor(f, what),
});

export function AppConfig({ plugin }: Props) {
  const appId = plugin.meta.id;
  const [loaded, setLoaded] = useState<Loaded>();
  const [loadError, setLoadError] = useState<ApiFailure>();

  const [url, setUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [keyStored, setKeyStored] = useState(false);
  const [connection, setConnection] = useState<StepStatus>({ phase: 'todo' });

  const [prometheusUid, setPrometheusUid] = useState<string>();
  const [folderUid, setFolderUid] = useState<string>(NEW_FOLDER);
  const [dashboards, setDashboards] = useState<StepStatus>({ phase: 'todo' });
  const [rules, setRules] = useState<StepStatus>({ phase: 'todo' });

  const [routeWanted, setRouteWanted] = useState(false);
  const [contactPoints, setContactPoints] = useState<ContactPoint[]>();
  const [receiver, setReceiver] = useState<string>();
  const [route, setRoute] = useState<StepStatus>({ phase: 'todo' });

  const remember = useCallback((patch: SetupState) => updateAppJsonData(appId, (j) => withSetup(j, patch)), [appId]);

  const test = useCallback(async (uid: string) => {
    setConnection({ phase: 'busy', message: 'Testing the connection…' });
    try {
      const r = await testDataSource(uid);
      setConnection(
        r.status === 'success'
          ? { phase: 'done', message: r.message }
          : { phase: 'failed', message: r.message, hint: connectionHint(r.message) }
      );
    } catch (e) {
      const f = failure(e);
      setConnection({ phase: 'failed', message: `Test failed: ${f.message}`, hint: connectionHint(f.message) });
    }
  }, []);

  const reload = useCallback(async () => {
    try {
      const l = await load(appId);
      setLoaded(l);
      setLoadError(undefined);
      return l;
    } catch (e) {
      setLoadError(failure(e));
      return undefined;
    }
  }, [appId]);

  useEffect(() => {
    let live = true;
    load(appId).then(
      (l) => {
        if (!live) {
          return;
        }
        setLoaded(l);
        setUrl(String(l.rlhf?.jsonData.url ?? ''));
        setKeyStored(Boolean(l.rlhf?.secureJsonFields?.apiKey));
        setPrometheusUid(prometheusChoices(l.all, l.setup.prometheusUid).uid);
        const folder =
          l.folders.find((f) => f.uid === l.setup.folderUid) ?? l.folders.find((f) => f.title === DEFAULT_FOLDER);
        setFolderUid(folder?.uid ?? NEW_FOLDER);
        if (l.rlhf) {
          test(l.rlhf.uid);
        }
      },
      (e) => live && setLoadError(failure(e))
    );
    return () => {
      live = false;
    };
  }, [appId, test]);

  if (loadError && !loaded) {
    return (
      <Alert title={`The setup page could not read Grafana’s settings: ${loadError.message}`} severity="error">
        {hintFor(loadError, 'read data sources, folders and alert rules')}
      </Alert>
    );
  }
  if (!loaded) {
    return <LoadingPlaceholder text="Reading Grafana’s data sources, folders and alert rules…" />;
  }

  const rlhfUid = loaded.rlhf?.uid;
  const prom = prometheusChoices(loaded.all, prometheusUid);
  const connected = connection.phase === 'done' && rlhfUid !== undefined;
  const prometheusStatus: StepStatus =
    prom.list.length === 0
      ? {
          phase: 'failed',
          message: 'No Prometheus data source in this Grafana.',
          hint: 'Serving and GPU panels and the alert rules need a Prometheus that scrapes the service’s /metrics with the API key (prometheus/prometheus.yml has the job). Add it under Connections → Data sources, then press Look again.',
        }
      : {
          phase: 'done',
          message: `Serving panels and alert rules use ${prom.list.find((d) => d.uid === prometheusUid)?.name ?? prometheusUid}.`,
        };

  async function saveAndTest() {
    const problem = urlProblem(url);
    if (problem) {
      setConnection({ phase: 'failed', message: problem, hint: 'Correct the URL, then press Save and test.' });
      return;
    }
    setConnection({ phase: 'busy', message: 'Saving the data source…' });
    // A typed key replaces the stored one; Reset without a new key clears it; otherwise Grafana keeps it.
    const key = apiKey !== '' ? apiKey : !keyStored && loaded!.rlhf?.secureJsonFields?.apiKey ? '' : undefined;
    const body = dataSourceWrite(loaded!.rlhf, url, key);
    try {
      const saved = loaded!.rlhf ? await updateDataSource(body) : await createDataSource(body);
      await remember({ datasourceUid: saved.datasource.uid });
      setApiKey('');
      setKeyStored(Boolean(saved.datasource.secureJsonFields?.apiKey));
      await reload();
      await test(saved.datasource.uid);
    } catch (e) {
      const f = failure(e);
      setConnection({
        ...fail(f, 'change data sources', 'Saving the data source failed'),
        ...(loaded!.rlhf?.readOnly
          ? {
              hint: `“${loaded!.rlhf.name}” is provisioned from a file, so Grafana will not change it here: edit its provisioning file (jsonData.url, RLHF_API_KEY) and restart Grafana.`,
            }
          : {}),
      });
    }
  }

  async function pickPrometheus(uid: string) {
    setPrometheusUid(uid);
    try {
      await remember({ prometheusUid: uid });
    } catch (e) {
      setDashboards(fail(failure(e), 'change the app’s settings', 'Saving the choice failed'));
    }
  }

  /** The chosen folder's uid, creating the default folder first when that is the choice. */
  async function folder(): Promise<string> {
    if (folderUid !== NEW_FOLDER) {
      return folderUid;
    }
    const created = await createFolder(DEFAULT_FOLDER);
    setFolderUid(created.uid);
    return created.uid;
  }

  async function importAll() {
    setDashboards({ phase: 'busy', message: 'Importing dashboards…' });
    let current = '';
    try {
      const target = await folder();
      // Saving the settings enables the app; Grafana lists (and imports) an app's dashboards only when enabled.
      await remember({ folderUid: target, datasourceUid: rlhfUid, prometheusUid });
      const list = (await listPluginDashboards(appId)).filter((x) => !x.removed);
      for (const d of list) {
        current = d.title;
        await importDashboard(dashboardImport(d.path, target, rlhfUid!, prometheusUid!));
      }
      setDashboards({ phase: 'done', message: `${list.length} dashboards imported.` });
      await reload();
    } catch (e) {
      setDashboards(fail(failure(e), 'create dashboards or folders', `Importing ${current || 'the folder'} failed`));
    }
  }

  async function createRules() {
    setRules({ phase: 'busy', message: 'Creating alert rules…' });
    try {
      const target = await folder();
      await putRuleGroup(target, ruleGroupFor(prometheusUid!, target));
      await remember({ folderUid: target, prometheusUid });
      setRules({
        phase: 'done',
        message: `${RULE_UIDS.length} alert rules in group ${RULE_GROUP}, on ${prom.list.find((d) => d.uid === prometheusUid)?.name}.`,
      });
      await reload();
    } catch (e) {
      setRules(fail(failure(e), 'write alert rules (alert.provisioning:write)', 'Creating the alert rules failed'));
    }
  }

  async function wantRoute(on: boolean) {
    setRouteWanted(on);
    if (on && !contactPoints) {
      try {
        const cps = await listContactPoints();
        setContactPoints(cps);
        setReceiver(cps[0]?.name);
        if (cps.length === 0) {
          setRoute({
            phase: 'blocked',
            message: 'There is no contact point yet.',
            hint: 'Create one under Alerting → Contact points, then tick the box again.',
          });
        }
      } catch (e) {
        setRoute(fail(failure(e), 'read contact points', 'Reading contact points failed'));
      }
    }
  }

  async function addRoute() {
    setRoute({ phase: 'busy', message: 'Adding the route…' });
    try {
      const { tree, added } = withChildRoute(await getPolicyTree(), receiver!);
      if (added) {
        await putPolicyTree(tree);
      }
      setRoute({
        phase: 'done',
        message: added
          ? `Alerts of these rules now go to ${receiver}; the rest of the policy tree is as it was.`
          : `A route to ${receiver} for these rules is already there; nothing changed.`,
      });
    } catch (e) {
      setRoute(fail(failure(e), 'change notification policies', 'Adding the route failed'));
    }
  }

  const installed = loaded.dashboards.filter((d) => d.imported && !d.removed);
  const outdated = installed.filter((d) => d.importedRevision !== d.revision);
  const dashboardsStatus: StepStatus =
    dashboards.phase !== 'todo'
      ? dashboards
      : !connected || !prometheusUid
        ? { phase: 'blocked', message: 'Needs a working connection (step 1) and a Prometheus (step 2).' }
        : installed.length === loaded.dashboards.length && loaded.dashboards.length > 0
          ? outdated.length
            ? {
                phase: 'todo',
                message: `${outdated.length} of the dashboards have a newer version in this plugin.`,
                hint: 'Press Update dashboards.',
              }
            : { phase: 'done', message: `All ${installed.length} dashboards are installed and current.` }
          : { phase: 'todo' };
  const rulesStatus: StepStatus =
    rules.phase !== 'todo'
      ? rules
      : !prometheusUid
        ? { phase: 'blocked', message: 'Needs a Prometheus (step 2): the rules query it.' }
        : loaded.rules.length === RULE_UIDS.length
          ? { phase: 'done', message: `All ${RULE_UIDS.length} alert rules exist.` }
          : {
              phase: 'todo',
              ...(loaded.rules.length
                ? { message: `${loaded.rules.length} of ${RULE_UIDS.length} alert rules exist.` }
                : {}),
            };

  const folderOptions = [
    ...(loaded.folders.some((f) => f.title === DEFAULT_FOLDER)
      ? []
      : [{ value: NEW_FOLDER, label: `New folder “${DEFAULT_FOLDER}”` }]),
    ...loaded.folders.map((f) => ({ value: f.uid, label: f.title })),
  ];

  return (
    <Stack direction="column" gap={3}>
      {isProvisioned(plugin.meta.jsonData) && <ProvisionedNotice appId={appId} />}
      <Text color="secondary">
        Four steps connect this Grafana to the RLHF metrics service. Each can be run again: it updates what it made
        before.
      </Text>

      <Step id="connection" n={1} title="Connect the RLHF metrics service" status={connection}>
        <Field
          label="Service URL"
          description="Where Grafana’s server reaches the service (requests go through Grafana’s data-source proxy)."
          required
        >
          <Input
            id="setup-url"
            width={60}
            value={url}
            placeholder="http://rlhf-monitor:8400"
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
        </Field>
        <Field
          label="API key"
          description="The RLHF_API_KEY the service runs with. Grafana stores it encrypted and never sends it back."
        >
          <SecretInput
            id="setup-api-key"
            width={60}
            isConfigured={keyStored}
            value={apiKey}
            placeholder="RLHF_API_KEY"
            onChange={(e) => setApiKey(e.currentTarget.value)}
            onReset={() => setKeyStored(false)}
          />
        </Field>
        <Stack direction="row" gap={1}>
          <Button onClick={saveAndTest} disabled={connection.phase === 'busy'}>
            {loaded.rlhf ? 'Save and test' : 'Create data source and test'}
          </Button>
          {loaded.rlhf && (
            <Button variant="secondary" onClick={() => test(loaded.rlhf!.uid)} disabled={connection.phase === 'busy'}>
              Test again
            </Button>
          )}
        </Stack>
      </Step>

      <Step id="prometheus" n={2} title="Prometheus for serving, GPU and alert panels" status={prometheusStatus}>
        {prom.list.length > 0 ? (
          <Field label="Prometheus data source">
            <Combobox
              id="setup-prometheus"
              width={60}
              options={prom.list.map((d) => ({ value: d.uid, label: d.name, description: d.url }))}
              value={prometheusUid}
              onChange={(o) => pickPrometheus(o.value)}
            />
          </Field>
        ) : (
          <div>
            <Button variant="secondary" onClick={reload}>
              Look again
            </Button>
          </div>
        )}
      </Step>

      <Step id="dashboards" n={3} title="Dashboards" status={dashboardsStatus}>
        <Field label="Folder for dashboards and alert rules">
          <Combobox
            id="setup-folder"
            width={60}
            options={folderOptions}
            value={folderUid}
            onChange={(o) => setFolderUid(o.value)}
          />
        </Field>
        {loaded.dashboards.length === 0 && (
          <Text color="secondary">
            The app is not enabled yet, so Grafana lists none of its dashboards; importing enables it.
          </Text>
        )}
        <ul aria-label="Dashboards in this plugin" data-testid="setup-dashboard-list">
          {loaded.dashboards
            .filter((d) => !d.removed)
            .map((d) => (
              <li key={d.path}>
                <Text>{d.title}</Text>{' '}
                <Text color="secondary">
                  {!d.imported
                    ? 'not installed'
                    : d.importedRevision !== d.revision
                      ? 'installed, newer version available'
                      : 'installed'}
                </Text>
              </li>
            ))}
        </ul>
        {dashboardsStatus.phase !== 'blocked' && (
          <div>
            <Button onClick={importAll} disabled={dashboardsStatus.phase === 'busy'}>
              {installed.length ? 'Update dashboards' : 'Import dashboards'}
            </Button>
          </div>
        )}
      </Step>

      <Step id="rules" n={4} title="Alert rules" status={rulesStatus}>
        <Text color="secondary">
          {`The pipeline’s ${RULE_UIDS.length} alert rules (the same as the provisioning file’s) as group ${RULE_GROUP} in the folder above, querying the Prometheus of step 2. They stay editable in Grafana’s alerting pages.`}
        </Text>
        {rulesStatus.phase !== 'blocked' && (
          <div>
            <Button onClick={createRules} disabled={rulesStatus.phase === 'busy'}>
              {loaded.rules.length ? 'Update alert rules' : 'Create alert rules'}
            </Button>
          </div>
        )}
        <Checkbox
          label="Also send these alerts to a contact point"
          description="Adds one child route (component = rlhf-monitor) to the notification policy tree; nothing else in the tree changes."
          value={routeWanted}
          onChange={(e) => wantRoute(e.currentTarget.checked)}
        />
        {routeWanted && contactPoints && contactPoints.length > 0 && (
          <Stack direction="column" gap={1}>
            <Field label="Contact point">
              <Combobox
                id="setup-contact-point"
                width={60}
                options={[...new Set(contactPoints.map((c) => c.name))].map((n) => ({ value: n, label: n }))}
                value={receiver}
                onChange={(o) => setReceiver(o.value)}
              />
            </Field>
            <div>
              <Button variant="secondary" onClick={addRoute} disabled={!receiver || route.phase === 'busy'}>
                Add route
              </Button>
            </div>
          </Stack>
        )}
        {routeWanted && route.message && (
          <Alert
            title={route.message}
            severity={route.phase === 'done' ? 'success' : route.phase === 'busy' ? 'info' : 'error'}
            bottomSpacing={0}
          >
            {route.hint}
          </Alert>
        )}
      </Step>

      {/* Further settings sections go below, one component each (Playground providers: issue 16). */}
      <ProvidersSettings meta={plugin.meta} />
    </Stack>
  );
}
