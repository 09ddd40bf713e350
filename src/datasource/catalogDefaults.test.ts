import { fillFromCatalog } from './catalogDefaults';

const catalog = {
  runs: ['dpo-llama3-8b', 'ppo-llama3-8b'],
  metrics: ['gpu_utilization', 'loss', 'objective/rlhf_reward'],
  models: ['reward-model'],
  datasets: ['prefs-helpfulness', 'prefs-safety'],
  features: ['category', 'response_length'],
  sources: ['production', 'shadow', 'training'],
};

test('fills only what is empty, preferring the curves people look at first', () => {
  expect(fillFromCatalog({ refId: 'A', type: 'timeseries', run: '', metric: '' }, catalog)).toEqual({
    run: '*',
    metric: 'objective/rlhf_reward',
  });
  expect(fillFromCatalog({ refId: 'A', type: 'timeseries', run: 'x', metric: 'y' }, catalog)).toBeUndefined();
  expect(fillFromCatalog({ refId: 'A', type: 'timeseries', metric: '' }, { metrics: ['a', 'b'] })).toEqual({
    run: '*',
    metric: 'a',
  });
});

test('drift picks training as reference and production as current when they exist', () => {
  expect(fillFromCatalog({ refId: 'A', type: 'drift' }, catalog)).toEqual({
    feature: 'category',
    reference: 'training',
    current: 'production',
  });
  expect(
    fillFromCatalog({ refId: 'A', type: 'drift', feature: 'x', reference: 'shadow' }, { sources: ['shadow', 'live'] })
  ).toEqual({
    current: 'live',
  });
});

test('types without names, or an empty catalog, change nothing', () => {
  expect(fillFromCatalog({ refId: 'A', type: 'status' }, catalog)).toBeUndefined();
  expect(fillFromCatalog({ refId: 'A', type: 'calibration', model: '' }, {})).toBeUndefined();
  expect(fillFromCatalog({ refId: 'A', type: 'health', run: '' }, catalog)).toEqual({ run: 'dpo-llama3-8b' });
});
