import { calibration as calibrate } from '@rlhf-monitor/contract';
import { fieldValues, post, targetError, tempDb } from '../http/testing';
import { startService, type Service } from '../service';

const T0 = Date.parse('2026-11-02T00:00:00Z');
const DAY = 86_400_000;
const frameNamed = (frames: any[], name: string) => frames.find((f) => f.schema.name === name);
const one = (f: any, name: string) => fieldValues(f, name)[0];

// The hand-worked case of analytics/calibration.test.ts: ECE 0.085, MCE 0.175, Brier 0.13043, accuracy 0.6.
const DAY1 = { conf: [0.1, 0.15, 0.3, 0.35, 0.6, 0.62, 0.68, 0.9, 0.95, 1.0], correct: [0, 0, 1, 0, 1, 0, 1, 1, 1, 1] };
// A second day, over-confident: conf 0.9 everywhere, half correct -> ECE = Brier gap 0.4, Brier = (0.01+0.81)/2 = 0.41
const DAY2 = { conf: Array(10).fill(0.9), correct: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0] };

describe('POST /api/v1/query type calibration', () => {
  const db = tempDb();
  let svc: Service;
  const q = (target: Record<string, unknown>, from = T0, to = T0 + 3 * DAY) =>
    post(`${svc.url}/api/v1/query`, { from, to, queries: [{ refId: 'A', type: 'calibration', ...target }] });

  beforeAll(async () => {
    svc = await startService({ db: db.file });
    const records = [
      ...DAY1.conf.map((c, i) => ({
        kind: 'prediction',
        model: 'reward-model',
        confidence: c,
        correct: DAY1.correct[i] === 1,
        ts: T0 + i * 60_000,
      })),
      ...DAY2.conf.map((c, i) => ({
        kind: 'prediction',
        model: 'reward-model',
        confidence: c,
        correct: DAY2.correct[i],
        ts: T0 + DAY + i * 60_000,
      })),
      { kind: 'prediction', model: 'other-model', confidence: 0.2, correct: true, ts: T0 },
    ];
    const r = await post(`${svc.url}/api/v1/ingest`, records);
    expect(r.status).toBe(200);
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('returns the hand-worked summary and bins for one day', async () => {
    const r = await q({ model: 'reward-model' }, T0, T0 + DAY - 1);
    expect(r.status).toBe(200);
    const summary = frameNamed(r.json.results.A.frames, 'summary');
    expect(one(summary, 'ece')).toBeCloseTo(0.085, 12);
    expect(one(summary, 'mce')).toBeCloseTo(0.175, 12);
    expect(one(summary, 'brier')).toBeCloseTo(0.13043, 12);
    expect(one(summary, 'accuracy')).toBeCloseTo(0.6, 12);
    expect(one(summary, 'count')).toBe(10);
    const bins = frameNamed(r.json.results.A.frames, 'bins');
    expect(fieldValues(bins, 'count')).toEqual([0, 2, 0, 2, 0, 0, 3, 0, 0, 3]);
    expect(fieldValues(bins, 'bin_lower')[3]).toBe(0.3);
    expect(fieldValues(bins, 'bin_upper')[9]).toBe(1);
    expect(fieldValues(bins, 'confidence')[0]).toBeNull(); // empty bin
    expect(fieldValues(bins, 'accuracy')[3]).toBe(0.5);
  });

  it('pools the range, adds a timeline per interval and a temperature on request', async () => {
    const r = await q({ model: 'reward-model', interval: '1d', temperature: true, bins: '10' });
    expect(r.status).toBe(200);
    const frames = r.json.results.A.frames;
    const all = calibrate([...DAY1.conf, ...DAY2.conf], [...DAY1.correct, ...DAY2.correct]);
    const summary = frameNamed(frames, 'summary');
    expect(one(summary, 'ece')).toBeCloseTo(all.ece!, 12);
    expect(one(summary, 'count')).toBe(20);
    expect(one(summary, 'temperature')).toBeGreaterThan(1); // day 2 is over-confident
    expect(one(summary, 'log_loss_after')).toBeLessThan(one(summary, 'log_loss_before') as number);

    const timeline = frameNamed(frames, 'timeline');
    expect(fieldValues(timeline, 'time')).toEqual([T0, T0 + DAY]);
    expect(fieldValues(timeline, 'ece')[0]).toBeCloseTo(0.085, 12);
    expect(fieldValues(timeline, 'ece')[1]).toBeCloseTo(0.4, 12); // |0.5 − 0.9|
    expect(fieldValues(timeline, 'brier')[1]).toBeCloseTo(0.41, 12);
    expect(fieldValues(timeline, 'count')).toEqual([10, 10]);

    // A pattern reads records (several models), one model reads columns: the same timeline for the same predictions.
    const byPattern = await q({ model: 'reward-*', interval: '1d', temperature: true, bins: '10' });
    expect(frameNamed(byPattern.json.results.A.frames, 'timeline')).toEqual(timeline);
  });

  it('supports equal-mass bins', async () => {
    const r = await q({ model: 'reward-model', bins: 2, binning: 'quantile' }, T0, T0 + DAY - 1);
    const bins = frameNamed(r.json.results.A.frames, 'bins');
    expect(fieldValues(bins, 'bin_upper')[0]).toBeCloseTo(0.61, 12);
    expect(one(frameNamed(r.json.results.A.frames, 'summary'), 'ece')).toBeCloseTo(0.065, 12);
  });

  it('answers an unknown model with nulls and a zero count', async () => {
    const r = await q({ model: 'nope' });
    const summary = frameNamed(r.json.results.A.frames, 'summary');
    expect(one(summary, 'ece')).toBeNull();
    expect(one(summary, 'count')).toBe(0);
  });

  it('rejects a bad interval or bin count with 400', async () => {
    expect(targetError(await q({ model: 'reward-model', interval: 'soon' }), 'A').status).toBe(400);
    const e = targetError(await q({ model: 'reward-model', bins: 0 }), 'A');
    expect(e.status).toBe(400);
    expect(e.error).toMatch(/bins/);
  });
});
