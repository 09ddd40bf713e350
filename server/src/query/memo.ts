// A short-lived, bounded memo per store for analyses that several panels of one dashboard refresh ask at once.
// It holds the promise, so concurrent requests share one computation; a failure is not kept.

export function shortLived<V>(o: { ttlMs: number; max: number; now?: () => number }) {
  const now = o.now ?? Date.now;
  const byStore = new WeakMap<object, Map<string, { at: number; value: Promise<V> }>>();
  return (store: object, key: string, compute: () => Promise<V>): Promise<V> => {
    let entries = byStore.get(store);
    if (!entries) {
      entries = new Map();
      byStore.set(store, entries);
    }
    const t = now();
    const hit = entries.get(key);
    if (hit && t - hit.at < o.ttlMs) {
      return hit.value;
    }
    // Drop expired entries, then the oldest while full (Map keeps insertion order).
    for (const [k, e] of entries) {
      if (t - e.at >= o.ttlMs || entries.size >= o.max) {
        entries.delete(k);
      }
    }
    const value = compute();
    entries.set(key, { at: t, value });
    value.catch(() => entries!.get(key)?.value === value && entries!.delete(key));
    return value;
  };
}
