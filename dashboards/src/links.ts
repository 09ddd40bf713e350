// Uids, titles and file names of the provisioned dashboards, and panel links between them.
import type { DashboardLink } from '@grafana/schema';

export const DASHBOARDS = {
  overview: { uid: 'rlhf-overview', title: 'RLHF · Pipeline Overview', file: 'overview.json' },
  data: { uid: 'rlhf-data', title: 'RLHF · 1 Data Collection', file: 'data-collection.json' },
  training: { uid: 'rlhf-training', title: 'RLHF · 2 Training', file: 'training.json' },
  evaluation: { uid: 'rlhf-evaluation', title: 'RLHF · 3 Evaluation', file: 'evaluation.json' },
  deployment: { uid: 'rlhf-deployment', title: 'RLHF · 4 Deployment', file: 'deployment.json' },
} as const;

export type DashboardKey = keyof typeof DASHBOARDS;

/** A panel link to another dashboard, keeping the time range (and the variables it names). */
export function linkTo(key: DashboardKey, vars: string[] = []): DashboardLink {
  const d = DASHBOARDS[key];
  const query = ['${__url_time_range}', ...vars.map((v) => `var-${v}=\${${v}}`)].join('&');
  return {
    title: `Open ${d.title.replace('RLHF · ', '')}`,
    type: 'link',
    url: `/d/${d.uid}?${query}`,
    tags: [],
    icon: 'dashboard',
    tooltip: d.title,
    asDropdown: false,
    includeVars: false,
    keepTime: true,
    targetBlank: false,
  };
}

/**
 * A data link from a value to another dashboard with the same time range: `vars` maps the target's variables to
 * template expressions of the clicked value (e.g. run: '${__field.labels.run}').
 */
export function dataLinkTo(key: DashboardKey, title: string, vars: Record<string, string> = {}) {
  const q = Object.entries(vars).map(([k, v]) => `var-${k}=${v}`);
  return { title, url: `/d/${DASHBOARDS[key].uid}?${['${__url_time_range}', ...q].join('&')}` };
}

/** Drill-down from any series of a run (its `run` label): the Training dashboard with that run selected. */
export const RUN_LINK = dataLinkTo('training', 'Open ${__field.labels.run} in Training', {
  run: '${__field.labels.run}',
});

/** The same drill-down from a table cell whose value is the run (a `run` column). */
export const RUN_CELL_LINK = dataLinkTo('training', 'Open ${__value.raw} in Training', { run: '${__value.raw}' });

/** The field name of a run in table frames: every table gives its `run` column RUN_CELL_LINK. */
export const RUN_FIELD = 'run';
