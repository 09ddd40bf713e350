import { migrateQuery, migrateVariableQuery, QUERY_VERSION } from './migration';
import { isRunnable } from './queryModel';
import { dashboardShapes, dashboardTargets } from './testing/dashboardTargets';

const targets = dashboardTargets();
const shapes = dashboardShapes();

test('the committed dashboards use many target shapes (the table below is not empty)', () => {
  expect(targets.length).toBeGreaterThan(80);
  expect(shapes.size).toBeGreaterThanOrEqual(12);
});

describe.each([...shapes.entries()])('%s', (_shape, { where, target, kind }) => {
  const migrated = kind === 'variable' ? migrateVariableQuery(target) : migrateQuery(target);

  test(`migrates to version ${QUERY_VERSION} meaning the same (${where})`, () => {
    const { version, ...rest } = migrated;
    expect(version).toBe(QUERY_VERSION);
    expect(rest).toEqual(target); // the generator writes the current layout: nothing but the version changes
    expect(isRunnable(migrated)).toBe(true);
  });

  test('is current after one migration: migrating again returns it unchanged', () => {
    expect(migrateQuery(migrated)).toBe(migrated);
  });
});

test('v0 layouts: no type, numeric strings, "true", comma-separated lists, emptied optional fields', () => {
  expect(migrateQuery({ refId: 'A', run: 'ppo', metric: 'loss' })).toEqual({
    refId: 'A',
    type: 'timeseries',
    run: 'ppo',
    metric: 'loss',
    version: 1,
  });
  expect(
    migrateQuery({ refId: 'B', type: 'calibration', model: 'rm', bins: '15', interval: '', temperature: 'true' })
  ).toEqual({ refId: 'B', type: 'calibration', model: 'rm', bins: 15, temperature: true, version: 1 });
  expect(migrateQuery({ refId: 'C', type: 'health', run: 'ppo', metrics: 'reward, kl', smoothing: '0.9' })).toEqual({
    refId: 'C',
    type: 'health',
    run: 'ppo',
    metrics: ['reward', 'kl'],
    smoothing: 0.9,
    version: 1,
  });
  expect(migrateQuery({ refId: 'D', type: 'events', tags: 'incident,training', limit: '' })).toEqual({
    refId: 'D',
    type: 'events',
    tags: ['incident', 'training'],
    version: 1,
  });
  // A variable in a number field stays as it is: the data source interpolates it.
  expect(
    migrateQuery({ refId: 'E', type: 'drift', feature: 'f', reference: 'a', current: 'b', bins: '$bins' })
  ).toEqual({ refId: 'E', type: 'drift', feature: 'f', reference: 'a', current: 'b', bins: '$bins', version: 1 });
  // A required field left empty stays empty (the editor asks for it) instead of disappearing.
  expect(migrateQuery({ refId: 'F', type: 'agreement', dataset: '' })).toMatchObject({ dataset: '' });
});

test('variable queries of every saved form become catalog targets', () => {
  expect(migrateVariableQuery('models')).toEqual({ refId: 'variable', type: 'catalog', of: 'models', version: 1 });
  expect(migrateVariableQuery('nonsense')).toMatchObject({ of: 'runs' });
  expect(migrateVariableQuery(undefined)).toMatchObject({ type: 'catalog', of: 'runs' });
  expect(migrateVariableQuery({ type: 'events', tags: ['training', '$run'] })).toMatchObject({
    refId: 'variable',
    type: 'events',
    tags: ['training', '$run'],
  });
  expect(migrateVariableQuery({ of: 'metrics', run: ['a', 'b'] })).toEqual({
    refId: 'variable',
    type: 'catalog',
    of: 'metrics',
    run: ['a', 'b'],
    version: 1,
  });
});
