// The `calibration` query type: reliability bins and calibration errors of a (reward) model's predictions in the
// time range, optionally a calibration timeline and a fitted temperature. Figures come from analytics/calibration.
import {
  calibration as calibrate,
  type CalibrationResult,
  fitTemperature,
  frame,
  type FrameJSON,
  FRAMES,
  num,
  type PredictionRecord,
} from '@rlhf-monitor/contract';
import type { PredictionColumns } from '../store/types';
import type { QueryModule } from './types';

interface Columns {
  conf: Float64Array;
  correct: Uint8Array;
  /** Times (ms), ascending; only for a timeline. */
  ts?: Float64Array;
}

function columns(predictions: PredictionRecord[]): Columns {
  const conf = new Float64Array(predictions.length);
  const correct = new Uint8Array(predictions.length);
  const ts = new Float64Array(predictions.length);
  for (let i = 0; i < predictions.length; i++) {
    conf[i] = predictions[i].confidence;
    correct[i] = predictions[i].correct ? 1 : 0;
    ts[i] = predictions[i].ts;
  }
  return { conf, correct, ts };
}

function fromColumns(c: PredictionColumns): Columns {
  return {
    conf: Float64Array.from(c.confidence),
    correct: Uint8Array.from(c.correct),
    ts: c.ts && Float64Array.from(c.ts),
  };
}

/**
 * Calibration figures per time bucket (buckets aligned to multiples of the interval since the epoch). The stores
 * return predictions by time, so each bucket is one run of the columns: views of them, nothing copied.
 */
function timeline({ conf, correct, ts }: Required<Columns>, interval: number, opts: Parameters<typeof calibrate>[2]) {
  const rows: Array<[number, CalibrationResult]> = [];
  for (let i = 0; i < ts.length;) {
    const start = Math.floor(ts[i] / interval) * interval;
    let j = i + 1;
    while (j < ts.length && ts[j] < start + interval) {
      j++;
    }
    rows.push([start, calibrate(conf.subarray(i, j), correct.subarray(i, j), opts)]);
    i = j;
  }
  return rows;
}

export const calibration: QueryModule<'calibration'> = {
  type: 'calibration',
  async run(t, ctx) {
    // One model: columns (no records) cost less to read and to hand to the worker; times only for a timeline.
    const one = typeof t.model === 'string' && !t.model.includes('*') ? t.model : null;
    const times = t.interval !== undefined;
    const cols =
      one === null
        ? columns(await ctx.store.predictions({ model: t.model, range: ctx.range }))
        : fromColumns(await ctx.store.predictionColumns({ model: one, range: ctx.range, times }));
    const { conf, correct } = cols;
    const opts = { bins: t.bins ?? 10, binning: t.binning ?? 'uniform' };
    const r = calibrate(conf, correct, opts);
    const unit = { unit: 'percentunit', min: 0, max: 1 };

    const summary = [
      num('ece', [r.ece], { ...unit, displayName: 'ECE' }),
      num('mce', [r.mce], { ...unit, displayName: 'MCE' }),
      num('brier', [r.brier], { min: 0, max: 1, decimals: 4, displayName: 'Brier' }),
      num('accuracy', [r.accuracy], unit),
      num('count', [r.count]),
    ];
    if (t.temperature) {
      const fit = fitTemperature(conf, correct);
      summary.push(
        num('temperature', [r.count ? fit.temperature : null], { decimals: 3 }),
        num('log_loss_before', [r.count ? fit.logLossBefore : null]),
        num('log_loss_after', [r.count ? fit.logLossAfter : null])
      );
    }
    const frames: FrameJSON[] = [
      frame(FRAMES.calibration.summary, ctx.refId, summary),
      frame(FRAMES.calibration.bins, ctx.refId, [
        num(
          'bin_lower',
          r.bins.map((b) => b.lower)
        ),
        num(
          'bin_upper',
          r.bins.map((b) => b.upper)
        ),
        num(
          'confidence',
          r.bins.map((b) => b.confidence),
          unit
        ),
        num(
          'accuracy',
          r.bins.map((b) => b.accuracy),
          unit
        ),
        num(
          'count',
          r.bins.map((b) => b.count)
        ),
      ]),
    ];
    if (t.interval !== undefined && cols.ts) {
      const rows = timeline({ ...cols, ts: cols.ts }, t.interval, opts);
      frames.push(
        frame(FRAMES.calibration.timeline, ctx.refId, [
          { name: 'time', type: 'time', values: rows.map(([start]) => start) },
          num(
            'ece',
            rows.map(([, x]) => x.ece),
            { ...unit, displayName: 'ECE' }
          ),
          num(
            'brier',
            rows.map(([, x]) => x.brier),
            { min: 0, max: 1, displayName: 'Brier' }
          ),
          num(
            'accuracy',
            rows.map(([, x]) => x.accuracy),
            unit
          ),
          num(
            'count',
            rows.map(([, x]) => x.count)
          ),
        ])
      );
    }
    return frames;
  },
};
