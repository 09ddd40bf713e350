// The copies of the dashboards and alert rules that the app plugin ships (src/dashboards/*.json, listed as
// `includes` in src/plugin.json, and src/setup/alert-rules.json for the setup page), built from the provisioned
// ones (pure: no I/O). Provisioned copies name the data sources by the fixed uids of the provisioning file; these
// name them by import inputs, so they work in a Grafana whose data sources have any uid.
import { createHash } from 'node:crypto';
import { DS_INPUTS, placeholder, PROMETHEUS_DS_TYPE, RLHF_DS_TYPE } from '../../src/setup/inputs';
import { grafanaAlertRules, type PanelLocator } from './alerting';
import { ALERT_GROUP, ALERT_INTERVAL } from './alerts';
import { PROM_DS, RLHF_DS, type ProvisionedDashboard } from './builders';

/** Grafana version the inputs format needs (what `__requires` tells the import UI). */
const GRAFANA_REQUIRES = '12.4.0';

const INPUTS = [
  {
    ref: RLHF_DS,
    input: {
      name: DS_INPUTS.rlhf,
      label: 'RLHF Monitor',
      description: 'The RLHF metrics service data source',
      type: 'datasource',
      pluginId: RLHF_DS_TYPE,
      pluginName: 'RLHF Monitor',
    },
  },
  {
    ref: PROM_DS,
    input: {
      name: DS_INPUTS.prometheus,
      label: 'Prometheus',
      description: 'The Prometheus that scrapes the service (serving, GPU and alert panels)',
      type: 'datasource',
      pluginId: PROMETHEUS_DS_TYPE,
      pluginName: 'Prometheus',
    },
  },
];

/** Deep copy with every `{uid, type}` reference to a provisioned data source replaced by its input. */
function withInputs(value: unknown, used: Set<string>): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => withInputs(v, used));
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const hit = INPUTS.find(({ ref }) => o.uid === ref.uid && o.type === ref.type);
    if (hit) {
      used.add(hit.input.name);
      return { ...o, uid: placeholder(hit.input.name) };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withInputs(v, used)]));
  }
  return value;
}

/**
 * Grafana compares the file's `revision` with the imported one (any difference = "update available"), so it is
 * derived from the content: it changes exactly when the dashboard does, with nothing to bump by hand.
 */
export function revisionOf(content: unknown): number {
  return parseInt(createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 7), 16);
}

export function appDashboard(d: ProvisionedDashboard) {
  const used = new Set<string>();
  const body = withInputs(d, used) as Record<string, unknown>;
  const inputs = INPUTS.filter((i) => used.has(i.input.name)).map((i) => i.input);
  const dashboard = {
    __inputs: inputs,
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: GRAFANA_REQUIRES },
      ...inputs.map((i) => ({ type: 'datasource', id: i.pluginId, name: i.pluginName, version: '' })),
    ],
    ...body,
  };
  return { ...dashboard, revision: revisionOf(dashboard) };
}

const SECONDS = { s: 1, m: 60, h: 3600 } as const;

function seconds(duration: string): number {
  const m = /^(\d+)([smh])$/.exec(duration);
  if (!m) {
    throw new Error(`duration ${duration} is not <n>s|m|h`);
  }
  return Number(m[1]) * SECONDS[m[2] as keyof typeof SECONDS];
}

/**
 * The alert rule group as the alerting provisioning API takes it (PUT /api/v1/provisioning/folder/<uid>/rule-groups/
 * <group>: AlertRuleGroup, interval in seconds), from the same rules as provisioning/alerting/rules.yaml. The
 * Prometheus uid is the input placeholder; the setup page puts in the chosen one, and the folder.
 */
export function appAlertRuleGroup(locate: PanelLocator) {
  const [group] = grafanaAlertRules(locate).groups;
  const rules = withInputs(group.rules, new Set()) as Array<Record<string, unknown>>;
  return {
    title: ALERT_GROUP,
    interval: seconds(ALERT_INTERVAL),
    rules: rules.map((r) => ({
      ...r,
      // The provisioning file names Prometheus by `datasourceUid` outside the model: an input as well.
      data: (r.data as Array<Record<string, unknown>>).map((q) =>
        q.datasourceUid === PROM_DS.uid ? { ...q, datasourceUid: placeholder(DS_INPUTS.prometheus) } : q
      ),
      ruleGroup: ALERT_GROUP,
    })),
  };
}
