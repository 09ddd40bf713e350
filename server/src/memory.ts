import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';

// After a burst of ingest and queries most of the V8 heap is garbage, and V8 collects only when something
// allocates: a service that goes quiet keeps its peak RSS (issue 12: 257 MB 10 s after the load bench, ~40 MB of
// it live), V8's own collections leaving the heap's pages committed. So once the event loop has been nearly idle
// for a whole check and the heap commits GROWTH_BYTES more than was live after the last collection, collect
// (a pause of tens of ms that nobody waits behind). The pages a collection empties are given back to the system
// by the next one, hence up to two per quiet spell.
const CHECK_MS = 2_000;
const IDLE_UTILIZATION = 0.05;
const GROWTH_BYTES = 32 * 1024 * 1024;
const ROUNDS = 2;

/** Start collecting the heap when the process is idle (`npm start`); returns the stop function. */
export function collectWhenIdle(): () => void {
  // How jest reaches the collector without --expose-gc on the command line: the flag holds for new contexts.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let live = getHeapStatistics().used_heap_size;
  let rounds = 0;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, last).utilization < IDLE_UTILIZATION;
    last = now;
    if (!idle) {
      rounds = 0;
    } else if (rounds < ROUNDS && getHeapStatistics().total_heap_size > live + GROWTH_BYTES) {
      gc();
      rounds++;
      live = getHeapStatistics().used_heap_size;
    }
  }, CHECK_MS).unref();
  return () => clearInterval(timer);
}
