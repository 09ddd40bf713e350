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

function columns(predictions: PredictionRecord[]): { conf: Float64Array; correct: Uint8Array } {
  const conf = new Float64Array(predictions.length);
  const correct = new Uint8Array(predictions.length);
  for (let i = 0; i < predictions.length; i++) {
    conf[i] = predictions[i].confidence;
    correct[i] = predictions[i].correct ? 1 : 0;
  }
  return { conf, correct };
}

function fromColumns(c: PredictionColumns): { conf: Float64Array; correct: Uint8Array } {
  return { conf: Float64Array.from(c.confidence), correct: Uint8Array.from(c.correct) };
}

/** Calibration figures per time bucket (buckets aligned to multiples of the interval since the epoch). */
function timeline(predictions: PredictionRecord[], interval: number, opts: Parameters<typeof calibrate>[2]) {
  const buckets = new Map<number, PredictionRecord[]>();
  for (const p of predictions) {
    const start = Math.floor(p.ts / interval) * interval;
    let b = buckets.get(start);
    if (!b) {
      b = [];
      buckets.set(start, b);
    }
    b.push(p);
  }
  const rows: Array<[number, CalibrationResult]> = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, ps]) => {
      const { conf, correct } = columns(ps);
      return [start, calibrate(conf, correct, opts)];
    });
  return rows;
}

export const calibration: QueryModule<'calibration'> = {
  type: 'calibration',
  async run(t, ctx) {
    // One model and no timeline: two columns (no times, no records) cost less to read and to hand to the worker.
    const one = typeof t.model === 'string' && !t.model.includes('*') && t.interval === undefined ? t.model : null;
    const predictions = one === null ? await ctx.store.predictions({ model: t.model, range: ctx.range }) : null;
    const { conf, correct } = predictions
      ? columns(predictions)
      : fromColumns(await ctx.store.predictionColumns({ model: one!, range: ctx.range }));
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
    if (t.interval !== undefined && predictions) {
      const rows = timeline(predictions, t.interval, opts);
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
