import { fieldValues, post, targetError, tempDb } from '../http/testing';
import { FLEISS_1971, K2011 } from '../analytics/agreement.fixtures';
import { startService, type Service } from '../service';

const T0 = Date.parse('2026-11-04T00:00:00Z');
const frameNamed = (frames: any[], name: string) => frames.find((f) => f.schema.name === name);
const one = (f: any, name: string) => fieldValues(f, name)[0];

describe('POST /api/v1/query type agreement', () => {
  const db = tempDb();
  let svc: Service;
  const q = (target: Record<string, unknown>) =>
    post(`${svc.url}/api/v1/query`, {
      from: T0,
      to: T0 + 86_400_000,
      queries: [{ refId: 'G', type: 'agreement', ...target }],
    });

  beforeAll(async () => {
    svc = await startService({ db: db.file });
    const records: unknown[] = [];
    let t = T0;
    for (const [annotator, labels] of Object.entries(K2011)) {
      labels.forEach((label, i) => {
        if (label !== null) {
          records.push({ kind: 'annotation', dataset: 'k2011', item: `u${i + 1}`, annotator, label, ts: t++ });
        }
      });
    }
    FLEISS_1971.forEach((row, i) => {
      let rater = 0;
      row.forEach((count, c) => {
        for (let k = 0; k < count; k++) {
          records.push({
            kind: 'annotation',
            dataset: 'fleiss',
            item: `s${i}`,
            annotator: `r${rater++}`,
            label: `c${c}`,
            ts: t++,
          });
        }
      });
    });
    records.push({ kind: 'annotation', dataset: 'words', item: 'i1', annotator: 'a', label: 'good', ts: t++ });
    records.push({ kind: 'annotation', dataset: 'words', item: 'i1', annotator: 'b', label: 'bad', ts: t++ });
    expect((await post(`${svc.url}/api/v1/ingest`, records)).status).toBe(200);
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('reproduces Krippendorff 2011 through the API', async () => {
    const r = await q({ dataset: 'k2011' });
    expect(r.status).toBe(200);
    const frames = r.json.results.G.frames;
    const s = frameNamed(frames, 'summary');
    expect(one(s, 'krippendorff_alpha')).toBeCloseTo(0.743, 3);
    expect(one(s, 'fleiss_kappa')).toBeNull(); // raters per unit differ
    expect(one(s, 'items')).toBe(12);
    expect(one(s, 'annotators')).toBe(4);
    expect(one(s, 'landis_koch')).toBe('substantial');
    const pairs = frameNamed(frames, 'pairs');
    expect(fieldValues(pairs, 'annotator_a')).toEqual(['A', 'A', 'A', 'B', 'B', 'C']);
    expect(fieldValues(pairs, 'annotator_b')).toEqual(['B', 'C', 'D', 'C', 'D', 'D']);
    // A has units 1-9, B 1-10 and 12, C 2-11, D 1-11: A∩B 9, A∩C 8, A∩D 9, B∩C 9, B∩D 10, C∩D 10.
    expect(fieldValues(pairs, 'items')).toEqual([9, 8, 9, 9, 10, 10]);
    const ann = frameNamed(frames, 'annotators');
    expect(fieldValues(ann, 'annotator')).toEqual(['A', 'B', 'C', 'D']);
    expect(fieldValues(ann, 'items')).toEqual([9, 11, 10, 11]);
    // label balance over all 41 ratings (9 + 11 + 10 + 11)
    const labels = frameNamed(frames, 'labels');
    const counts = fieldValues(labels, 'count') as number[];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(41);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect((fieldValues(labels, 'share') as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);

    const interval = await q({ dataset: 'k2011', level: 'interval' });
    expect(one(frameNamed(interval.json.results.G.frames, 'summary'), 'krippendorff_alpha')).toBeCloseTo(0.849, 3);
  });

  it('reproduces the Fleiss 1971 example', async () => {
    const s = frameNamed((await q({ dataset: 'fleiss' })).json.results.G.frames, 'summary');
    expect(one(s, 'fleiss_kappa')).toBeCloseTo(0.21, 3);
    expect(one(s, 'percent_agreement')).toBeCloseTo(688 / 1820, 12);
    expect(one(s, 'annotators')).toBe(14);
  });

  it('400 for interval alpha on word labels; empty dataset gives nulls', async () => {
    const bad = targetError(await q({ dataset: 'words', level: 'interval' }), 'G');
    expect(bad.status).toBe(400);
    expect(bad.error).toMatch(/numeric/);
    const empty = frameNamed((await q({ dataset: 'none' })).json.results.G.frames, 'summary');
    expect(one(empty, 'krippendorff_alpha')).toBeNull();
    expect(one(empty, 'items')).toBe(0);
  });
});
