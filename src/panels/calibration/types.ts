import { BRIER_BANDS, ECE_BANDS, MCE_BANDS } from '@rlhf-monitor/contract';

export type Binning = 'uniform' | 'quantile';

export interface CalibrationOptions {
  /** Bins when computing in the browser from raw predictions (our `calibration` frames come binned). */
  bins: number;
  binning: Binning;
  confidenceField: string;
  correctField: string;
  eceWarning: number;
  eceCritical: number;
  mceWarning: number;
  mceCritical: number;
  brierWarning: number;
  brierCritical: number;
  showHistogram: boolean;
}

export const defaultOptions: CalibrationOptions = {
  bins: 10,
  binning: 'uniform',
  confidenceField: 'confidence',
  correctField: 'correct',
  // The contract's bands: the service's evaluation status rule uses the same ECE warning, so this panel and the
  // pipeline overview agree.
  eceWarning: ECE_BANDS.warning,
  eceCritical: ECE_BANDS.critical,
  mceWarning: MCE_BANDS.warning,
  mceCritical: MCE_BANDS.critical,
  brierWarning: BRIER_BANDS.warning,
  brierCritical: BRIER_BANDS.critical,
  showHistogram: true,
};

export interface CalBin {
  lower: number;
  upper: number;
  confidence: number | null;
  accuracy: number | null;
  count: number;
}

export interface CalView {
  bins: CalBin[];
  ece: number | null;
  mce: number | null;
  brier: number | null;
  accuracy: number | null;
  count: number;
  /** `frames`: read from our calibration query; `computed`: binned here from raw predictions. */
  source: 'frames' | 'computed';
}

export type CalExtract = { ok: true; view: CalView } | { ok: false; missing: string };
