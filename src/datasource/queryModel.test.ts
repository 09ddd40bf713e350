import { QUERY_SCHEMAS, QUERY_TYPES } from '@rlhf-monitor/contract';
import {
  applyPatch,
  emptyMemory,
  intervalError,
  isRunnable,
  missingRequired,
  numberError,
  QUERY_FIELDS,
  sameQuery,
  switchType,
} from './queryModel';
import type { QueryType, RlhfQuery } from './types';

describe.each(QUERY_TYPES)('%s: the editor fields are the contract schema', (type: QueryType) => {
  const shape = QUERY_SCHEMAS[type].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const schemaKeys = Object.keys(shape).filter((k) => k !== 'type' && k !== 'refId');

  test('the same fields', () => {
    expect(QUERY_FIELDS[type].map((f) => f.key).sort()).toEqual(schemaKeys.sort());
  });

  test('required here exactly where the service requires the field', () => {
    for (const f of QUERY_FIELDS[type]) {
      // A time series of every metric of every run is never what a panel means: the editor asks for one.
      const editorOnly = type === 'timeseries' && f.key === 'metric';
      expect([f.key, shape[f.key].safeParse(undefined).success]).toEqual([f.key, !f.required || editorOnly]);
    }
  });

  test('the number limits of each input are the service limits', () => {
    for (const f of QUERY_FIELDS[type].filter((x) => x.number)) {
      const { min, max, integer } = f.number!;
      const accepts = (v: number) => shape[f.key].safeParse(v).success;
      expect([f.key, accepts(min), accepts(max), accepts(min - 1), accepts(max * 2 + 1)]).toEqual([
        f.key,
        true,
        true,
        false,
        false,
      ]);
      expect([f.key, accepts(min + 0.5)]).toEqual([f.key, !integer]);
      expect(numberError(min, f.number!)).toBeUndefined();
      expect(numberError(max * 2 + 1, f.number!)).toBe(`Enter a number from ${min} to ${max}`);
    }
  });
});

test('intervals: the service rule (1 s to a year; variables left to the service)', () => {
  expect(intervalError('6h')).toBeUndefined();
  expect(intervalError('$bucket')).toBeUndefined();
  expect(intervalError('daily')).toMatch(/Enter a duration/);
  expect(intervalError('500ms')).toMatch(/at least 1s/);
  expect(isRunnable({ refId: 'A', type: 'calibration', model: 'm', interval: 'daily' })).toBe(false);
});

test('missing required fields are named by their labels', () => {
  expect(missingRequired({ refId: 'A', type: 'drift', feature: 'f', reference: '', current: '' })).toEqual([
    'Reference',
    'Current',
  ]);
  expect(missingRequired({ refId: 'A', type: 'status' })).toEqual([]);
});

test('type switches remember each type and carry shared fields the new type accepts', () => {
  const memory = emptyMemory();
  const ts: RlhfQuery = { refId: 'A', type: 'timeseries', run: 'ppo', metric: 'loss', hide: false };
  const cal = switchType(ts, 'calibration', memory);
  expect(cal).toEqual({ refId: 'A', hide: false, type: 'calibration', model: '', bins: 10, binning: 'uniform' });
  const health = switchType({ ...cal, model: 'rm' }, 'health', memory);
  expect(health).toMatchObject({ type: 'health', run: 'ppo' });
  expect(switchType(health, 'calibration', memory)).toMatchObject({ model: 'rm' });
  expect(switchType({ ...ts, run: 'ppo-*' }, 'health', emptyMemory())).toMatchObject({ run: '' });
});

test('patches drop emptied keys; equality ignores key order and undefined', () => {
  const q: RlhfQuery = { refId: 'A', type: 'events', tags: ['x'], limit: 5 };
  expect(applyPatch(q, { limit: undefined })).toEqual({ refId: 'A', type: 'events', tags: ['x'] });
  expect(sameQuery(q, { limit: 5, tags: ['x'], type: 'events', refId: 'A', phase: undefined })).toBe(true);
  expect(sameQuery(q, { ...q, tags: ['y'] })).toBe(false);
});
