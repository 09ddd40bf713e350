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
