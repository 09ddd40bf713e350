// A query's reads of a synchronous store (SQLite) in turns of the event loop (../turns.ts): each store call in
// a turn of its own, a read of many series one run and metric at a time and of many models' predictions one model
// at a time, so a dashboard's query over 40 runs is 40 short slices rather than one long one that health checks
// and ingest would wait behind (issue 12).
import { nextTurn } from '../turns';
import { overrideStore } from '../store/override';
import { patternList } from '../store/patterns';
import type { PredictionRecord } from '@rlhf-monitor/contract';
import { readLimit, type Series, type Store } from '../store/types';
import { globMatch } from '../store/glob';

type SeriesQuery = Parameters<Store['series']>[0];

/** Two time-ordered lists as one (a's first where times are equal). */
function mergeByTime<T extends { ts: number }>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  let [i, j] = [0, 0];
  while (i < a.length && j < b.length) {
    out.push(a[i].ts <= b[j].ts ? a[i++] : b[j++]);
  }
  return out.concat(a.slice(i), b.slice(j));
}

const matchesAny = (name: string, list: string[] | null) => list === null || list.some((p) => globMatch(name, p));

/** `store` (whose `latest` answers from memory, ingest/latest.ts) with every read in a turn of its own. */
export function turnTakingStore(store: Store): Store {
  const inTurn =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      await nextTurn();
      return f(...a);
    };
  /** A series read split by (run, metric), in the store's order; `limit` counts over all of them, as the store's. */
  const perSeries =
    <A extends unknown[]>(read: (q: SeriesQuery, ...a: A) => Promise<Series[]>) =>
    async (q: SeriesQuery, ...a: A): Promise<Series[]> => {
      const runs = patternList(q.runs);
      const metrics = patternList(q.metrics);
      const names = new Map<string, [string, string]>();
      for (const s of await store.latest({ phase: q.phase })) {
        if (matchesAny(s.run, runs) && matchesAny(s.name, metrics)) {
          names.set(JSON.stringify([s.run, s.name]), [s.run, s.name]);
        }
      }
      if (names.size <= 1) {
        await nextTurn();
        return read(q, ...a);
      }
      const byName = [...names.values()].sort(([r1, n1], [r2, n2]) =>
        r1 !== r2 ? (r1 < r2 ? -1 : 1) : n1 < n2 ? -1 : 1
      );
      const out: Series[] = [];
      let left = readLimit(q);
      for (const [run, name] of byName) {
        if (left <= 0) {
          break;
        }
        await nextTurn();
        const limit = q.limit === undefined ? {} : { limit: left };
        // A name is a pattern too (`*` is its only wildcard): keep only the series of exactly this run and metric.
        for (const s of await read({ ...q, runs: [run], metrics: [name], ...limit }, ...a)) {
          if (s.run === run && s.name === name) {
            out.push(s);
            left -= s.points.length;
          }
        }
      }
      return out;
    };
  /** Predictions of many models one model at a time, merged back into time order. */
  const predictions: Store['predictions'] = async (q) => {
    const list = patternList(q.model);
    await nextTurn();
    const models = (await store.catalog('models')).filter((m) => matchesAny(m, list));
    if (models.length <= 1) {
      await nextTurn();
      return store.predictions(q);
    }
    const parts: PredictionRecord[][] = [];
    let left = readLimit(q);
    for (const model of models) {
      if (left <= 0) {
        break;
      }
      await nextTurn();
      const limit = q.limit === undefined ? {} : { limit: left };
      const rows = (await store.predictions({ ...q, model: [model], ...limit })).filter((r) => r.model === model);
      parts.push(rows);
      left -= rows.length;
    }
    await nextTurn();
    // Pairwise, so many models cost n log(models), not n times models.
    while (parts.length > 1) {
      parts.push(mergeByTime(parts.shift()!, parts.shift()!));
    }
    return parts[0] ?? [];
  };
  return overrideStore(store, {
    series: perSeries((q) => store.series(q)),
    seriesForPlot: perSeries((q, maxPoints: number) => store.seriesForPlot(q, maxPoints)),
    annotations: inTurn((q) => store.annotations(q)),
    predictions,
    samples: inTurn((q) => store.samples(q)),
    predictionColumns: inTurn((q) => store.predictionColumns(q)),
    sampleValues: inTurn((q) => store.sampleValues(q)),
    events: inTurn((q) => store.events(q)),
    catalog: inTurn((of, q) => store.catalog(of, q)),
  });
}
