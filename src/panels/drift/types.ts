import { PSI_BANDS, type Severity } from '@rlhf-monitor/contract';

export type { Severity };

export interface DriftOptions {
  /** Raw mode: field (or query refId / frame name) holding the reference sample. */
  referenceField: string;
  currentField: string;
  /** Raw mode: histogram bins on the pooled range. */
  bins: number;
  /** PSI bands, used when the frames carry no `severity` (our service always sends one). */
  psiModerate: number;
  psiMajor: number;
  /**
   * Several features: the one whose histogram shows first, template variables allowed (a dashboard's `$feature`,
   * set by a drill-down link). Empty, or no such feature: the most severe one. A click on a row still wins.
   */
  selectedFeature: string;
}

export const defaultOptions: DriftOptions = {
  referenceField: 'reference',
  currentField: 'current',
  bins: 20,
  psiModerate: PSI_BANDS.moderate,
  psiMajor: PSI_BANDS.major,
  selectedFeature: '$feature',
};

export interface FeatureStats {
  feature: string;
  refId?: string;
  psi: number | null;
  ks_statistic: number | null;
  ks_pvalue: number | null;
  wasserstein: number | null;
  js_divergence: number | null;
  /** Categorical features: chi-square test of homogeneity p-value. */
  chi_square_pvalue?: number | null;
  reference_count: number | null;
  current_count: number | null;
  severity: Severity;
}

export interface HistBin {
  /** Category name for categorical features (then lower/upper are just the bar's index). */
  label?: string;
  lower: number;
  upper: number;
  reference: number;
  current: number;
}

export interface DriftView {
  /** Most severe first (then by PSI, largest first). */
  features: FeatureStats[];
  /** Histogram per feature name (absent when the source sent none). */
  histograms: Record<string, HistBin[]>;
  referenceLabel: string;
  currentLabel: string;
  source: 'frames' | 'computed';
}

export type DriftExtract = { ok: true; view: DriftView } | { ok: false; missing: string };
