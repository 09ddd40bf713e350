import { customVariable, SimpleTemplateSrv } from './testing/templateSrv';
import { expandNames, interpolateQuery } from './interpolate';

const srv = new SimpleTemplateSrv([
  customVariable({ name: 'run', current: 'ppo-llama3-8b', options: ['ppo-llama3-8b', 'dpo-llama3-8b'] }),
  customVariable({ name: 'runs', current: ['ppo-llama3-8b', 'dpo-llama3-8b'] }),
  customVariable({ name: 'allRuns', current: '$__all', options: ['dpo-llama3-8b', 'ppo-llama3-8b'] }),
  customVariable({ name: 'starRuns', current: '$__all', options: ['dpo-llama3-8b', 'ppo-llama3-8b'], allValue: '*' }),
  customVariable({ name: 'size', current: ['8b', '70b'] }),
  customVariable({ name: 'model', current: 'reward-model' }),
  customVariable({ name: 'models', current: ['reward-model', 'reward-model-v2'] }),
  customVariable({ name: 'bins', current: '15' }),
  customVariable({ name: 'tag', current: ['incident', 'rollout'] }),
]);

describe('single value', () => {
  test('in name fields and in every other string field', () => {
    expect(interpolateQuery({ refId: 'A', type: 'timeseries', run: '$run', metric: 'objective/kl' }, {}, srv)).toEqual({
      refId: 'A',
      type: 'timeseries',
      run: 'ppo-llama3-8b',
      metric: 'objective/kl',
    });
    expect(
      interpolateQuery({ refId: 'B', type: 'calibration', model: '${model}', bins: '$bins' as never }, {}, srv)
    ).toEqual({
      refId: 'B',
      type: 'calibration',
      model: 'reward-model',
      bins: 15,
    });
    expect(
      interpolateQuery({ refId: 'C', type: 'drift', feature: 'x', reference: '[[model]]', current: 'prod' }, {}, srv)
    ).toMatchObject({
      reference: 'reward-model',
    });
  });

  test('scoped variables (repeated panels) win over the dashboard value', () => {
    const scoped = { run: { text: 'dpo-llama3-8b', value: 'dpo-llama3-8b' } };
    expect(interpolateQuery({ refId: 'A', type: 'timeseries', run: '$run' }, scoped, srv).run).toBe('dpo-llama3-8b');
  });

  test('patterns, unknown variables and Grafana keys are kept', () => {
    const q = interpolateQuery(
      { refId: '$run', type: 'timeseries', run: 'ppo-*', metric: '$nope', datasource: { uid: '$run' } },
      {},
      srv
    );
    expect(q).toEqual({
      refId: '$run',
      type: 'timeseries',
      run: 'ppo-*',
      metric: '$nope',
      datasource: { uid: '$run' },
    });
  });
});

describe('multi value', () => {
  test('a multi-value variable becomes the list of names', () => {
    expect(interpolateQuery({ refId: 'A', type: 'timeseries', run: '$runs', metric: 'loss' }, {}, srv).run).toEqual([
      'ppo-llama3-8b',
      'dpo-llama3-8b',
    ]);
  });

  test('text around a multi-value variable is kept for each value', () => {
    expect(expandNames('ppo-llama3-$size/run', {}, srv)).toEqual(['ppo-llama3-8b/run', 'ppo-llama3-70b/run']);
    expect(expandNames('$size-$size', {}, srv)).toEqual(['8b-8b', '8b-70b', '70b-8b', '70b-70b']);
  });

  test('tags: lists flatten, comma strings split', () => {
    expect(interpolateQuery({ refId: 'E', type: 'events', tags: ['training', '$tag'] }, {}, srv).tags).toEqual([
      'training',
      'incident',
      'rollout',
    ]);
    expect(interpolateQuery({ refId: 'E', type: 'events', tags: 'deployment, $tag' as never }, {}, srv).tags).toEqual([
      'deployment',
      'incident',
      'rollout',
    ]);
  });

  test('models and features pool over a list', () => {
    expect(interpolateQuery({ refId: 'B', type: 'calibration', model: '$models' }, {}, srv).model).toEqual([
      'reward-model',
      'reward-model-v2',
    ]);
  });

  test('a single-valued field shows every value (the service then names the problem)', () => {
    expect(interpolateQuery({ refId: 'D', type: 'agreement', dataset: '$models' }, {}, srv).dataset).toBe(
      'reward-model,reward-model-v2'
    );
  });
});

describe('$__all', () => {
  test('All without a custom value is the list of every option', () => {
    expect(interpolateQuery({ refId: 'A', type: 'timeseries', run: '$allRuns' }, {}, srv).run).toEqual([
      'dpo-llama3-8b',
      'ppo-llama3-8b',
    ]);
  });

  test('All with custom all value * stays the service wildcard', () => {
    expect(interpolateQuery({ refId: 'A', type: 'timeseries', run: '${starRuns}' }, {}, srv).run).toBe('*');
  });
});
