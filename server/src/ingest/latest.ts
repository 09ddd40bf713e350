import type { Phase, RlhfRecord } from '@rlhf-monitor/contract';
import { labelKey } from '../store/patterns';
import { overrideStore } from '../store/override';
import type { MetricPoint, SeriesKey, Store } from '../store/types';

type Latest = SeriesKey & MetricPoint;

/**
 * The newest point of every metric series, in memory: loaded from the store once at start and kept up to date
 * by every stored batch, so `status` and `/metrics` read it in O(series) map steps instead of one store query
 * per series (defect 2 of issue 12). Same ordering as the stores' `latest`: the newest timestamp wins.
 */
export class LatestIndex {
  /** Per phase (status and /metrics read one phase at a time), by series key. */
  private readonly byPhase = new Map<Phase, Map<string, Latest>>();
  private changes = 0;

  /** Changes whenever a point is folded in, also by a refresh from the shared store (see app.ts dataVersion). */
  get version(): number {
    return this.changes;
  }

  private static key(run: string, name: string, labels: Record<string, string>): string {
    return JSON.stringify([run, name, labelKey(labels)]);
  }

  private phase(phase: Phase): Map<string, Latest> {
    let m = this.byPhase.get(phase);
    if (!m) {
      m = new Map();
      this.byPhase.set(phase, m);
    }
    return m;
  }

  /** Replace the whole index (at start, and when a shared store is re-read). */
  reset(points: Latest[]): void {
    this.changes++;
    this.byPhase.clear();
    for (const p of points) {
      this.phase(p.phase).set(LatestIndex.key(p.run, p.name, p.labels), { ...p });
    }
  }

  /** Fold in a batch the store has just committed. */
  add(records: RlhfRecord[]): void {
    for (const r of records) {
      if (r.kind === 'metric') {
        this.put(r);
      }
    }
  }

  /**
   * Fold in the store's newest points (where other replicas on the same PostgreSQL write too), keeping whichever
   * point is newer, so a batch this replica stored while the store was read is not lost.
   */
  merge(points: Latest[]): void {
    points.forEach((p) => this.put(p));
  }

  private put(r: Latest): void {
    const key = LatestIndex.key(r.run, r.name, r.labels);
    const phase = this.phase(r.phase);
    const old = phase.get(key);
    if (!old || r.ts > old.ts || (r.ts === old.ts && (r.step ?? -1) >= (old.step ?? -1))) {
      this.changes++;
      phase.set(key, {
        run: r.run,
        name: r.name,
        phase: r.phase,
        // In the stores' order (sorted names), so gauges list labels the same whichever way they came in.
        labels: old?.labels ?? Object.fromEntries(Object.entries(r.labels).sort(([a], [b]) => (a < b ? -1 : 1))),
        ts: r.ts,
        step: r.step,
        value: r.value,
      });
    }
  }

  /** How many distinct series of `records` the index does not hold yet (the series the batch would create). */
  newSeries(records: RlhfRecord[]): number {
    const fresh = new Set<string>();
    for (const r of records) {
      if (r.kind === 'metric') {
        const key = LatestIndex.key(r.run, r.name, r.labels);
        if (!this.byPhase.get(r.phase)?.has(key)) {
          fresh.add(`${r.phase} ${key}`);
        }
      }
    }
    return fresh.size;
  }

  latest(q: { phase?: Phase }): Latest[] {
    const maps = q.phase ? [this.byPhase.get(q.phase)] : [...this.byPhase.values()];
    return maps.flatMap((m) => (m ? [...m.values()] : []));
  }
}

/** The store with `latest` answered from the index; every other method is the store's own. */
export function withIndexedLatest(store: Store, index: LatestIndex): Store {
  return overrideStore(store, { latest: async (q) => index.latest(q) });
}
