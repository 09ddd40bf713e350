// Renders ALERT_RULES (alerts.ts) as Grafana's alert-rule provisioning file and as a Prometheus rule file.
// Grafana format: pkg/services/provisioning/alerting/rules_types.go (AlertRuleGroupV1, AlertRuleV1, QueryV1).
import {
  ALERT_FOLDER,
  ALERT_GROUP,
  ALERT_INTERVAL,
  ALERT_RULES,
  describe,
  promExpr,
  type AlertRuleSpec,
} from './alerts';
import { PROM_DS } from './builders';

export const EXPR_UID = '__expr__';
const EXPR_DS = { type: '__expr__', uid: EXPR_UID };

/** Finds a panel id by dashboard uid and panel title (the rules link to the panel that shows their signal). */
export type PanelLocator = (dashboardUid: string, panelTitle: string) => number;

const GRAFANA_OPS = { '>': 'gt', '<': 'lt' } as const;

function labels(r: AlertRuleSpec): Record<string, string> {
  return { severity: r.severity, phase: r.phase, component: 'rlhf-monitor', rule_uid: r.uid };
}

function annotations(r: AlertRuleSpec, engine: 'grafana' | 'prometheus', panelId: number): Record<string, string> {
  return {
    summary: r.summary,
    description: describe(r, engine),
    runbook: r.runbook,
    // The panel that shows the signal (point it at your own wiki if you have one). Grafana expands pathPrefix to
    // its sub-path (root_url /grafana/ -> /grafana), so the link works behind a proxy; Prometheus has no such
    // notion, so its rules keep the path relative to Grafana's root.
    runbook_url: `${engine === 'grafana' ? '{{ pathPrefix }}' : ''}/d/${r.dashboardUid}?viewPanel=${panelId}`,
  };
}

function grafanaRule(r: AlertRuleSpec, panelId: number) {
  return {
    uid: r.uid,
    title: r.title,
    condition: 'C',
    data: [
      {
        refId: 'A',
        // Instant query: the latest value of each series at evaluation time.
        relativeTimeRange: { from: 600, to: 0 },
        datasourceUid: PROM_DS.uid,
        model: {
          refId: 'A',
          datasource: PROM_DS,
          editorMode: 'code',
          expr: r.signal,
          instant: true,
          range: false,
          legendFormat: '__auto',
          intervalMs: 15000,
          maxDataPoints: 43200,
        },
      },
      {
        refId: 'B',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: EXPR_UID,
        model: {
          refId: 'B',
          datasource: EXPR_DS,
          type: 'reduce',
          expression: 'A',
          reducer: 'last',
          settings: { mode: 'dropNN' },
        },
      },
      {
        refId: 'C',
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: EXPR_UID,
        model: {
          refId: 'C',
          datasource: EXPR_DS,
          type: 'threshold',
          expression: 'B',
          conditions: [{ evaluator: { type: GRAFANA_OPS[r.op], params: [r.threshold] } }],
        },
      },
    ],
    // No dashboardUid/panelId link: alert rules are provisioned before dashboards at Grafana's start, and the
    // runbook_url already opens the panel.
    noDataState: r.noDataState,
    execErrState: 'Error',
    for: r.for,
    annotations: annotations(r, 'grafana', panelId),
    labels: labels(r),
    isPaused: false,
  };
}

export function grafanaAlertRules(locate: PanelLocator) {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: ALERT_GROUP,
        folder: ALERT_FOLDER,
        interval: ALERT_INTERVAL,
        rules: ALERT_RULES.map((r) => grafanaRule(r, locate(r.dashboardUid, r.panelTitle))),
      },
    ],
  };
}

export function prometheusRules(locate: PanelLocator) {
  return {
    groups: [
      {
        name: ALERT_GROUP,
        interval: ALERT_INTERVAL,
        rules: ALERT_RULES.map((r) => ({
          alert: r.alert,
          expr: promExpr(r),
          for: r.for,
          labels: labels(r),
          annotations: annotations(r, 'prometheus', locate(r.dashboardUid, r.panelTitle)),
        })),
      },
    ],
  };
}
