import { dataFrameFromJSON, toDataFrame } from '@grafana/data';
import { eventsToAnnotations } from './annotations';

const T = Date.parse('2026-11-20T12:00:00Z');

test('events frames (service JSON) map to annotations: time, title, text, tags; incidents in red', () => {
  const frame = dataFrameFromJSON({
    schema: {
      name: 'events',
      fields: [
        { name: 'time', type: 'time' as never },
        { name: 'title', type: 'string' as never },
        { name: 'text', type: 'string' as never },
        { name: 'tags', type: 'other' as never },
        { name: 'phase', type: 'string' as never },
      ],
    },
    data: {
      values: [
        [T, T + 60_000],
        ['checkpoint 1000', 'p99 over budget'],
        ['saved to s3', 'rolled back canary v2'],
        [
          ['training', 'checkpoint'],
          ['deployment', 'incident'],
        ],
        ['training', 'deployment'],
      ],
    },
  });
  expect(eventsToAnnotations([frame])).toEqual([
    { time: T, title: 'checkpoint 1000', text: 'saved to s3', tags: ['training', 'checkpoint'] },
    {
      time: T + 60_000,
      title: 'p99 over budget',
      text: 'rolled back canary v2',
      tags: ['deployment', 'incident'],
      color: '#EF4444',
    },
  ]);
});

test('comma-separated tags, ISO times, missing text; rows without a time are skipped', () => {
  const frame = toDataFrame({
    fields: [
      { name: 'time', values: ['2026-11-20T12:00:00Z', null] },
      { name: 'title', values: ['batch 7', 'no time'] },
      { name: 'tags', values: ['data, dataset-batch', ''] },
    ],
  });
  expect(eventsToAnnotations([frame])).toEqual([
    { time: T, title: 'batch 7', text: '', tags: ['data', 'dataset-batch'] },
  ]);
});

test('frames that are not events frames are ignored', () => {
  const series = toDataFrame({
    fields: [
      { name: 'time', values: [T] },
      { name: 'value', values: [1] },
    ],
  });
  expect(eventsToAnnotations([series])).toEqual([]);
});
