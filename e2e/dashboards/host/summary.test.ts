import type { DataFrame } from '@grafana/data';
import { summarize } from './summary';

function frame(run: string, times: number[], values: number[]): DataFrame {
  return {
    name: 'loss',
    length: times.length,
    fields: [
      { name: 'time', type: 'time', config: {}, values: times },
      { name: 'value', type: 'number', config: {}, values, labels: { run } },
    ],
  } as unknown as DataFrame;
}

describe('panel data summary', () => {
  test('counts rows, spans time, names runs', () => {
    const s = summarize([frame('ppo', [3000, 1000, 2000], [1, 2, 3]), frame('dpo', [500], [4])]);
    expect(s).toMatchObject({ frames: 2, rows: 4, minTime: 500, maxTime: 3000, runs: ['dpo', 'ppo'] });
    expect(s.fields).toEqual(['loss.time', 'loss.value', 'loss.time', 'loss.value']);
  });

  test('the hash follows values and labels, and only them', () => {
    const a = summarize([frame('ppo', [1, 2], [1, 2])]).hash;
    expect(summarize([frame('ppo', [1, 2], [1, 2])]).hash).toBe(a);
    expect(summarize([frame('ppo', [1, 2], [1, 3])]).hash).not.toBe(a);
    expect(summarize([frame('dpo', [1, 2], [1, 2])]).hash).not.toBe(a);
  });

  test('no frames: nothing to show', () => {
    expect(summarize([])).toMatchObject({ frames: 0, rows: 0, runs: [], minTime: undefined });
  });
});
