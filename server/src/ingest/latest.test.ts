import type { MetricRecord } from '@rlhf-monitor/contract';
import { LatestIndex } from './latest';

const m = (over: Partial<MetricRecord>): MetricRecord => ({
  kind: 'metric',
  run: 'r',
  name: 'loss',
  value: 1,
  step: 1,
  ts: 1000,
  phase: 'training',
  labels: {},
  ...over,
});

describe('LatestIndex', () => {
  it('keeps the newest point per series, per phase, with labels in sorted order', () => {
    const ix = new LatestIndex();
    ix.add([m({ ts: 2000, value: 2 }), m({ ts: 1000, value: 9 }), m({ phase: 'deployment', name: 'error_rate' })]);
    ix.add([m({ labels: { z: '1', a: '2' }, ts: 5 })]);
    expect(ix.latest({ phase: 'training' })).toEqual([
      { run: 'r', name: 'loss', phase: 'training', labels: {}, ts: 2000, step: 1, value: 2 },
      { run: 'r', name: 'loss', phase: 'training', labels: { a: '2', z: '1' }, ts: 5, step: 1, value: 1 },
    ]);
    expect(Object.keys(ix.latest({ phase: 'training' })[1].labels)).toEqual(['a', 'z']);
    expect(ix.latest({}).map((p) => p.name)).toEqual(['loss', 'loss', 'error_rate']);
  });

  it('merges a store read without losing a newer point stored meanwhile', () => {
    const ix = new LatestIndex();
    ix.add([m({ ts: 3000, value: 3 })]);
    ix.merge([
      { run: 'r', name: 'loss', phase: 'training', labels: {}, ts: 2000, step: 1, value: 2 },
      { run: 'other', name: 'loss', phase: 'training', labels: {}, ts: 100, step: null, value: 7 },
    ]);
    expect(ix.latest({ phase: 'training' }).map((p) => [p.run, p.ts, p.value])).toEqual([
      ['r', 3000, 3],
      ['other', 100, 7],
    ]);
  });

  it('counts the distinct series a batch would create (labels in any order are one series)', () => {
    const ix = new LatestIndex();
    ix.add([m({ labels: { a: '1', b: '2' } })]);
    expect(
      ix.newSeries([
        m({ labels: { b: '2', a: '1' } }),
        m({ labels: { a: '1' } }),
        m({ labels: { a: '1' } }),
        m({ phase: 'evaluation', labels: { a: '1', b: '2' } }),
        // a NUL in a name must not make two series look alike
        m({ run: 'r\u0000loss', name: 'x' }),
        m({ run: 'r', name: '\u0000loss\u0000x' }),
      ])
    ).toBe(4);
  });
});
