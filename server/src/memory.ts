import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';

// After a burst of ingest and queries most of the V8 heap is garbage, and V8 collects only when something
// allocates: a service that goes quiet keeps its peak RSS (issue 12: 257 MB 10 s after the load bench, ~40 MB of
// it live), V8's own collections leaving the heap's pages committed. So once the event loop has been nearly idle
// for a whole check and the heap commits GROWTH_BYTES more than was live after the last collection, collect
// (a pause of tens of ms that nobody waits behind). The first collection of a quiet spell frees the garbage but
// keeps the young generation at its peak (32 MB after a burst): V8 shrinks it only in a collection that finds
// little allocated over the last 5 s, hence a second one SPACING_MS after the first, and no more in that spell.
const CHECK_MS = 500;
const IDLE_UTILIZATION = 0.05;
const GROWTH_BYTES = 16 * 1024 * 1024;
const SPACING_MS = 5_500;
const ROUNDS = 2;

/** Start collecting the heap when this thread is idle (`npm start`, analytics workers); returns the stop function. */
export function collectWhenIdle(): () => void {
  // How jest reaches the collector without --expose-gc on the command line: the flag holds for new contexts.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let live = getHeapStatistics().used_heap_size;
  let rounds = 0;
  let collectedAt = -Infinity;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, last).utilization < IDLE_UTILIZATION;
    last = now;
    if (!idle) {
      rounds = 0;
    } else if (
      rounds < ROUNDS &&
      performance.now() - collectedAt >= SPACING_MS &&
      getHeapStatistics().total_heap_size > live + GROWTH_BYTES
    ) {
      // From its start: V8 counts the allocation since the start of the previous collection.
      collectedAt = performance.now();
      gc();
      rounds++;
      live = getHeapStatistics().used_heap_size;
      // The collection's own pause is not a sign of work: the next check measures from here.
      last = performance.eventLoopUtilization();
    }
  }, CHECK_MS).unref();
  return () => clearInterval(timer);
}
