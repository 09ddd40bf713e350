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
  // One past the cap: reading that many tells an over-cap target from one at the cap.
  const limited = <Q extends ReadLimit>(q: Q): Q => ({
    ...q,
    limit: Math.min(q.limit ?? Infinity, caps.pointsPerTarget + 1),
  });
  const checkPoints = <T>(n: number, rows: T): T => {
    if (n > caps.pointsPerTarget) {
      throw tooMany(
        'it reads at least',
        n,
        caps.pointsPerTarget,
        'pointsPerTarget',
        'shorten the time range or name fewer series'
      );
    }
    return rows;
  };
  const records =
    <Q extends ReadLimit, R>(f: (q: Q) => Promise<R[]>) =>
    async (q: Q) => {
      const rows = await f(limited(q));
      return checkPoints(rows.length, rows);
    };
  return overrideStore(store, {
    async series(q) {
      await checkSeries(q);
      const s = await store.series(limited(q));
      return checkPoints(
        s.reduce((a, x) => a + x.points.length, 0),
        s
      );
    },
    async seriesForPlot(q, maxPoints) {
      await checkSeries(q);
      const s = await store.seriesForPlot(limited(q), maxPoints);
      return checkPoints(
        s.reduce((a, x) => a + x.points.length, 0),
        s
      );
    },
    annotations: records((q) => store.annotations(q)),
    predictions: records((q) => store.predictions(q)),
    samples: records((q) => store.samples(q)),
    async predictionColumns(q) {
      const c = await store.predictionColumns(limited(q));
      return checkPoints(c.confidence.length, c);
    },
    async sampleValues(q) {
      const v = await store.sampleValues(limited(q));
      return checkPoints(v.values.length, v);
    },
  });
}
