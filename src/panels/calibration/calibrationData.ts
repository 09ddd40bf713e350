import type { DataFrame } from '@grafana/data';
import { CALIBRATION_BIN_FIELDS, calibration } from '@rlhf-monitor/contract';
import { fieldByName, findFrame, firstValue, nullableNumber, numbers } from '../shared/frames';
import type { CalBin, CalExtract, CalibrationOptions } from './types';

// `confidence` may be null for empty bins, so it is not required to recognise the frame.
const BIN_FIELDS = CALIBRATION_BIN_FIELDS.filter((f) => f !== 'confidence');
/** Names a correct/label column commonly goes by, tried after the configured one. */
const CORRECT_FALLBACKS = ['correct', 'label', 'is_correct', 'target'];

/**
 * Turn panel frames into what the panel draws. Our `calibration` query already returns `bins` + `summary`;
 * any other source just needs a confidence column and a 0/1 correctness column, binned here with the same
 * analytics code the service uses (so both paths agree to the last digit).
 */
export function extractCalibration(series: DataFrame[], options: CalibrationOptions): CalExtract {
  const binsFrame = findFrame(series, BIN_FIELDS);
  if (binsFrame) {
    return fromFrames(series, binsFrame);
  }
  return fromRaw(series, options);
}

function fromFrames(series: DataFrame[], binsFrame: DataFrame): CalExtract {
  const lower = numbers(fieldByName(binsFrame, 'bin_lower'));
  const upper = numbers(fieldByName(binsFrame, 'bin_upper'));
  const conf = fieldByName(binsFrame, 'confidence')?.values ?? [];
  const acc = fieldByName(binsFrame, 'accuracy')?.values ?? [];
  const count = numbers(fieldByName(binsFrame, 'count'));
  const bins: CalBin[] = lower.map((lo, i) => ({
    lower: lo,
    upper: upper[i],
    confidence: nullableNumber(conf[i]),
    accuracy: nullableNumber(acc[i]),
    count: Number.isFinite(count[i]) ? count[i] : 0,
  }));
  const total = bins.reduce((s, b) => s + b.count, 0);
  // Prefer the summary of the same query (refId) when several calibration queries share the panel.
  // (The query may also send a `timeline` frame with an `ece` column: prefer the one named `summary`.)
  const withEce = series.filter((f) => f !== binsFrame && fieldByName(f, 'ece'));
  const summary =
    withEce.find((f) => f.refId === binsFrame.refId && f.name === 'summary') ??
    withEce.find((f) => f.refId === binsFrame.refId) ??
    withEce.find((f) => f.name === 'summary') ??
    withEce[0];
  if (total === 0) {
    return { ok: false, missing: 'predictions: every calibration bin is empty' };
  }
  const fallback = gapsFromBins(bins, total);
  const pick = (name: string) => (summary ? nullableNumber(firstValue(summary, name)) : null);
  return {
    ok: true,
    view: {
      bins,
      ece: summary ? pick('ece') : fallback.ece,
      mce: summary ? pick('mce') : fallback.mce,
      brier: pick('brier'),
      accuracy: summary ? pick('accuracy') : fallback.accuracy,
      count: pick('count') ?? total,
      source: 'frames',
    },
  };
}

/** ECE/MCE from binned data (Guo et al. 2017, eq. 3): used only when no summary frame came along. */
function gapsFromBins(bins: CalBin[], total: number) {
  let ece = 0;
  let mce = 0;
  let correct = 0;
  for (const b of bins) {
    if (b.count > 0 && b.accuracy !== null && b.confidence !== null) {
      const gap = Math.abs(b.accuracy - b.confidence);
      ece += (b.count / total) * gap;
      mce = Math.max(mce, gap);
      correct += b.accuracy * b.count;
    }
  }
  return { ece: total > 0 ? ece : null, mce: total > 0 ? mce : null, accuracy: total > 0 ? correct / total : null };
}

function fromRaw(series: DataFrame[], options: CalibrationOptions): CalExtract {
  const confName = options.confidenceField || 'confidence';
  const withConf = series.find((f) => fieldByName(f, confName));
  if (!withConf) {
    return { ok: false, missing: `field "${confName}" (or our calibration frames "bins" + "summary")` };
  }
  const correctNames = [options.correctField, ...CORRECT_FALLBACKS].filter(Boolean);
  const correctField = correctNames.map((n) => fieldByName(withConf, n)).find(Boolean);
  if (!correctField) {
    return {
      ok: false,
      missing: `field "${options.correctField || 'correct'}" (0/1 or true/false) beside "${confName}"`,
    };
  }
  const c = numbers(fieldByName(withConf, confName));
  const y = numbers(correctField);
  // Drop rows where either side is missing so the two arrays stay paired.
  const conf: number[] = [];
  const correct: number[] = [];
  for (let i = 0; i < c.length; i++) {
    if (Number.isFinite(c[i]) && Number.isFinite(y[i])) {
      conf.push(c[i]);
      correct.push(y[i]);
    }
  }
  if (conf.length === 0) {
    return { ok: false, missing: `values in "${confName}" and "${correctField.name}" (0 usable rows)` };
  }
  const bins = Math.max(2, Math.min(50, Math.round(options.bins || 10)));
  const r = calibration(conf, correct, { bins, binning: options.binning });
  return {
    ok: true,
    view: {
      bins: r.bins.map((b) => ({ ...b })),
      ece: r.ece,
      mce: r.mce,
      brier: r.brier,
      accuracy: r.accuracy,
      count: r.count,
      source: 'computed',
    },
  };
}
