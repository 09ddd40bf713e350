import { driftSummary, ks2samp, wasserstein1 } from '@rlhf-monitor/contract';
import { fieldValues, post, targetError, tempDb } from '../http/testing';
import { startService, type Service } from '../service';

const T0 = Date.parse('2026-11-03T00:00:00Z');
const frameNamed = (frames: any[], name: string) => frames.find((f) => f.schema.name === name);
const one = (f: any, name: string) => fieldValues(f, name)[0];

const sample = (feature: string, source: string, value: number | string, i: number) => ({
  kind: 'sample',
  feature,
  source,
  value,
  ts: T0 + i * 1000,
});

// x: the PSI case worked on paper in analytics/drift.test.ts (PSI 0.7593995).
const X_REF = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const X_CUR = [1, 1, 2, 3, 4, 5, 6, 7, 8, 9];
// response_length: production responses 40% longer.
const LEN_REF = Array.from({ length: 400 }, (_, i) => 100 + ((i * 37) % 200));
const LEN_CUR = LEN_REF.map((v) => v * 1.4);
// stable: the same distribution in both sources.
const STABLE = Array.from({ length: 300 }, (_, i) => (i * 0.618) % 1);
// category: counts ref a30 b20 c50, cur a20 b30 c50: χ² = 4, dof 2, p = e^-2; PSI = 0.2·ln 1.5 = 0.0811
const CAT_REF = [...Array(30).fill('a'), ...Array(20).fill('b'), ...Array(50).fill('c')];
const CAT_CUR = [...Array(20).fill('a'), ...Array(30).fill('b'), ...Array(50).fill('c')];

describe('POST /api/v1/query type drift', () => {
  const db = tempDb();
  let svc: Service;
  const q = (target: Record<string, unknown>) =>
    post(`${svc.url}/api/v1/query`, {
      from: T0,
      to: T0 + 86_400_000,
      queries: [{ refId: 'D', type: 'drift', ...target }],
    });

  beforeAll(async () => {
    svc = await startService({ db: db.file });
    const records = [
      ...X_REF.map((v, i) => sample('x', 'training', v, i)),
      ...X_CUR.map((v, i) => sample('x', 'production', v, i)),
      ...LEN_REF.map((v, i) => sample('response_length', 'training', v, i)),
      ...LEN_CUR.map((v, i) => sample('response_length', 'production', v, i)),
      ...STABLE.map((v, i) => sample('stable', 'training', v, i)),
      ...STABLE.map((v, i) => sample('stable', 'production', v, i)),
      ...CAT_REF.map((v, i) => sample('category', 'training', v, i)),
      ...CAT_CUR.map((v, i) => sample('category', 'production', v, i)),
    ];
    expect((await post(`${svc.url}/api/v1/ingest`, records)).status).toBe(200);
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('returns the numeric summary and histogram', async () => {
    const r = await q({ feature: 'x', reference: 'training', current: 'production' });
    expect(r.status).toBe(200);
    const summary = frameNamed(r.json.results.D.frames, 'summary');
    expect(one(summary, 'psi')).toBeCloseTo(0.1 * Math.log(2) + (1e-4 - 0.1) * Math.log(1e-4 / 0.1), 12);
    // ECDF gap is 0.1 on every [k, k+1), k = 1..9 (F_cur = F_ref + 0.1) and 0 elsewhere: KS = 0.1 and
    // Wasserstein = ∫|F_ref − F_cur| = 9 × 0.1 = 0.9.
    expect(one(summary, 'ks_statistic')).toBeCloseTo(0.1, 12);
    expect(one(summary, 'ks_pvalue')).toBeCloseTo(ks2samp(X_REF, X_CUR).pvalue, 12);
    expect(one(summary, 'wasserstein')).toBeCloseTo(wasserstein1(X_REF, X_CUR), 12);
    expect(one(summary, 'wasserstein')).toBeCloseTo(0.9, 12);
    expect(one(summary, 'reference_count')).toBe(10);
    expect(one(summary, 'current_count')).toBe(10);
    expect(one(summary, 'severity')).toBe('major');
    const hist = frameNamed(r.json.results.D.frames, 'histogram');
    expect(fieldValues(hist, 'bin_lower')).toHaveLength(20);
    expect(fieldValues(hist, 'bin_lower')[0]).toBe(1);
    expect(fieldValues(hist, 'bin_upper')[19]).toBe(10);
    const sum = (xs: unknown[]) => (xs as number[]).reduce((a, b) => a + b, 0);
    expect(sum(fieldValues(hist, 'reference'))).toBeCloseTo(1, 12);
    expect(sum(fieldValues(hist, 'current'))).toBeCloseTo(1, 12);
  });

  it('matches the analytics for a larger feature and honours bins', async () => {
    const r = await q({ feature: 'response_length', reference: 'training', current: 'production', bins: 8 });
    const summary = frameNamed(r.json.results.D.frames, 'summary');
    const s = driftSummary(LEN_REF, LEN_CUR);
    expect(one(summary, 'psi')).toBeCloseTo(s.psi, 12);
    expect(one(summary, 'ks_statistic')).toBeCloseTo(s.ks_statistic, 12);
    expect(one(summary, 'wasserstein')).toBeCloseTo(s.wasserstein, 9);
    expect(one(summary, 'severity')).toBe('major');
    expect(fieldValues(frameNamed(r.json.results.D.frames, 'histogram'), 'bin_lower')).toHaveLength(8);
  });

  it('tests categorical features with chi-square', async () => {
    const r = await q({ feature: 'category', reference: 'training', current: 'production' });
    const frames = r.json.results.D.frames;
    const summary = frameNamed(frames, 'summary');
    expect(one(summary, 'chi_square')).toBeCloseTo(4, 12);
    expect(one(summary, 'dof')).toBe(2);
    expect(one(summary, 'chi_square_pvalue')).toBeCloseTo(Math.exp(-2), 12);
    expect(one(summary, 'psi')).toBeCloseTo(0.2 * Math.log(1.5), 12);
    expect(one(summary, 'severity')).toBe('none');
    const cats = frameNamed(frames, 'categories');
    expect(fieldValues(cats, 'category')).toEqual(['c', 'a', 'b']);
    expect(fieldValues(cats, 'reference')).toEqual([0.5, 0.3, 0.2]);
    expect(fieldValues(cats, 'current')).toEqual([0.5, 0.2, 0.3]);
  });

  it('ranks every feature by severity with feature "*"', async () => {
    const r = await q({ feature: '*', reference: 'training', current: 'production' });
    expect(r.status).toBe(200);
    const f = frameNamed(r.json.results.D.frames, 'features');
    const features = fieldValues(f, 'feature');
    const severities = fieldValues(f, 'severity');
    expect(new Set(features)).toEqual(new Set(['x', 'response_length', 'stable', 'category']));
    expect(severities.slice(0, 2)).toEqual(['major', 'major']);
    expect(features.slice(2)).toEqual(['category', 'stable']); // both 'none': higher PSI first
    expect(fieldValues(f, 'psi')[3]).toBe(0);
    expect(fieldValues(f, 'kind')[features.indexOf('category')]).toBe('categorical');
    expect(fieldValues(f, 'ks_statistic')[features.indexOf('category')]).toBeNull();

    const list = await q({ feature: ['stable', 'x'], reference: 'training', current: 'production' });
    expect(fieldValues(frameNamed(list.json.results.D.frames, 'features'), 'feature')).toEqual(['x', 'stable']);
  });

  it('answers a feature without samples with empty figures, and rejects a missing source', async () => {
    const r = await q({ feature: 'nope', reference: 'training', current: 'production' });
    expect(r.status).toBe(200);
    const summary = frameNamed(r.json.results.D.frames, 'summary');
    expect(one(summary, 'psi')).toBeNull();
    expect(one(summary, 'reference_count')).toBe(0);
    expect(fieldValues(frameNamed(r.json.results.D.frames, 'histogram'), 'bin_lower')).toEqual([]);
    expect(targetError(await q({ feature: 'x', reference: 'training' }), 'D').status).toBe(400);
  });
});
