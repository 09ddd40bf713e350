import type { Status } from '../shared/palette';

export type Phase = 'data' | 'training' | 'evaluation' | 'deployment';
export const PHASES: Phase[] = ['data', 'training', 'evaluation', 'deployment'];
export const PHASE_NAMES: Record<Phase, string> = {
  data: 'Data collection',
  training: 'Training',
  evaluation: 'Evaluation',
  deployment: 'Deployment',
};
export const PHASE_SHORT: Record<Phase, string> = {
  data: 'Data',
  training: 'Train',
  evaluation: 'Eval',
  deployment: 'Deploy',
};

/** Per phase: where its dashboard lives and which figure to headline. */
export interface PhaseOptions {
  url: string;
  /** Frame to read the headline from: a query refId, a frame name, or a series' `metric` label. Empty: any frame. */
  source: string;
  /** Field whose last non-null value is shown. Empty: no headline. */
  field: string;
  label: string;
  /** Grafana unit id (e.g. `ms`, `percentunit`); empty uses the field's own unit. */
  unit: string;
  decimals?: number;
}

export interface PipelineOptions extends Record<Phase, PhaseOptions> {
  /** Carry the dashboard time range over when following a phase link. */
  keepTimeRange: boolean;
}

// Defaults match the provisioned phase dashboards and the overview's queries (see dashboards/).
export const defaultOptions: PipelineOptions = {
  data: { url: '/d/rlhf-data', source: '', field: 'krippendorff_alpha', label: 'Agreement α', unit: '', decimals: 2 },
  training: {
    url: '/d/rlhf-training',
    source: 'objective/rlhf_reward',
    field: 'value',
    label: 'Reward',
    unit: '',
    decimals: 2,
  },
  evaluation: { url: '/d/rlhf-evaluation', source: '', field: 'ece', label: 'ECE', unit: 'percentunit', decimals: 1 },
  deployment: {
    url: '/d/rlhf-deployment',
    source: 'latency_p99_ms',
    field: 'value',
    label: 'p99 latency',
    unit: 'ms',
    decimals: 0,
  },
  keepTimeRange: true,
};

export interface PhaseView {
  phase: Phase;
  state: Status;
  reason: string;
  updated: number | null;
  headline: { label: string; text: string } | null;
  href: string;
}
