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
  // Warning at ECE 0.1 matches the service's evaluation status rule (RLHF_STATUS_MAX_ECE, default 0.1), so this
  // panel and the pipeline overview agree; twice that is critical.
  eceWarning: 0.1,
  eceCritical: 0.2,
  mceWarning: 0.15,
  mceCritical: 0.3,
  // Brier 0.25 is what a constant 0.5 forecast scores on balanced labels.
  brierWarning: 0.2,
  brierCritical: 0.25,
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
