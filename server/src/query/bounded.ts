// What one query target may read (issue 12, defect 4): the series it matches, counted in memory before any is
// read, and the points or records it reads, which the store stops reading one past the cap (so a huge target is
// refused after reading cap + 1, not all of it). Over a cap the target gets a QueryError naming the limit and how
// to narrow the query; the other targets of the request still answer.
import type { Phase } from '@rlhf-monitor/contract';
import type { ServiceLimits } from '../config';
import { globMatch } from '../store/glob';
import { overrideStore } from '../store/override';
import { patternList } from '../store/patterns';
import type { MetricPoint, NamePattern, ReadLimit, SeriesKey, Store } from '../store/types';
import { QueryError } from './errors';

type Caps = Pick<ServiceLimits, 'seriesPerTarget' | 'pointsPerTarget'>;
type SeriesQuery = { runs?: NamePattern; metrics?: NamePattern; phase?: Phase };

const matchesAny = (name: string, list: string[] | null) => list === null || list.some((p) => globMatch(name, p));

/** Series (by their newest points, from memory) that a series query would read. */
export function countSeries(latest: Array<SeriesKey & MetricPoint>, q: SeriesQuery): number {
  const runs = patternList(q.runs);
  const metrics = patternList(q.metrics);
  let n = 0;
  for (const s of latest) {
    if ((!q.phase || s.phase === q.phase) && matchesAny(s.run, runs) && matchesAny(s.name, metrics)) {
      n++;
    }
  }
  return n;
}

/** `store` for one target, refusing reads over the caps (its `latest` should answer from memory, ingest/latest.ts). */
export function boundedStore(store: Store, caps: Caps, refId: string): Store {
  const tooMany = (what: string, n: number, limit: number, name: string, fix: string) =>
    new QueryError(`query ${refId}: ${what} ${n}, more than the limit of ${limit} (${name}); ${fix}`, 400);
  const checkSeries = async (q: SeriesQuery) => {
    const n = countSeries(await store.latest({ phase: q.phase }), q);
    if (n > caps.seriesPerTarget) {
      throw tooMany(
        'the names match',
        n,
        caps.seriesPerTarget,
        'seriesPerTarget',
        'name the run and metric, or use a narrower pattern (e.g. "train/*" rather than "*") or a list'
      );
    }
  };
  const checkPoints = (n: number) => {
    if (n > caps.pointsPerTarget) {
      throw tooMany(
        'it reads at least',
        n,
        caps.pointsPerTarget,
        'pointsPerTarget',
        'shorten the time range or name fewer series'
      );
    }
  };
  // One past the cap: reading that many tells an over-cap target from one at the cap.
  const reads = countedReads(store, () => caps.pointsPerTarget + 1, checkPoints);
  return overrideStore(store, {
    ...reads,
    async series(q) {
      await checkSeries(q);
      return reads.series(q);
    },
    async seriesForPlot(q, maxPoints) {
      await checkSeries(q);
      return reads.seriesForPlot(q, maxPoints);
    },
  });
}

type Reads = Pick<
  Store,
  'series' | 'seriesForPlot' | 'annotations' | 'predictions' | 'samples' | 'predictionColumns' | 'sampleValues'
>;

/**
 * The store's point and record reads, each asking for at most `most()` rows (with the caller's own limit, if
 * lower) and telling `counted` how many it returned before they are handed on (it may throw to refuse them).
 */
export function countedReads(store: Store, most: () => number, counted: (n: number) => void): Reads {
  const within = <Q extends ReadLimit>(q: Q): Q => ({ ...q, limit: Math.min(q.limit ?? Infinity, most()) });
  const count = <T>(n: number, rows: T): T => (counted(n), rows);
  const points = <S extends { points: unknown[] }>(s: S[]) =>
    count(
      s.reduce((a, x) => a + x.points.length, 0),
      s
    );
  return {
    series: async (q) => points(await store.series(within(q))),
    seriesForPlot: async (q, maxPoints) => points(await store.seriesForPlot(within(q), maxPoints)),
    annotations: async (q) => {
      const r = await store.annotations(within(q));
      return count(r.length, r);
    },
    predictions: async (q) => {
      const r = await store.predictions(within(q));
      return count(r.length, r);
    },
    samples: async (q) => {
      const r = await store.samples(within(q));
      return count(r.length, r);
    },
    predictionColumns: async (q) => {
      const c = await store.predictionColumns(within(q));
      return count(c.confidence.length, c);
    },
    sampleValues: async (q) => {
      const v = await store.sampleValues(within(q));
      return count(v.values.length, v);
    },
  };
}
