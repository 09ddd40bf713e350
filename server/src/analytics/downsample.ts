/**
 * Min/max downsampling: pick at most `maxPoints` indices of a series so that its shape survives.
 * The first and last points are always kept; the interior is cut into equal-count buckets and each bucket
 * contributes its minimum and its maximum (in time order), so a one-point loss spike is never averaged away.
 * O(n), returns ascending indices. (The same idea as M4, Jugel et al., VLDB 2014, without the per-bucket first/last.)
 */
export function downsampleIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length;
  const max = Math.max(2, Math.floor(maxPoints));
  if (n <= max) {
    return Array.from({ length: n }, (_, i) => i);
  }
  const buckets = Math.floor((max - 2) / 2);
  const out: number[] = [0];
  const interior = n - 2;
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * interior) / buckets);
    const end = 1 + Math.floor(((b + 1) * interior) / buckets);
    if (start >= end) {
      continue;
    }
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i] < values[lo]) {
        lo = i;
      }
      if (values[i] > values[hi]) {
        hi = i;
      }
    }
    if (lo === hi) {
      out.push(lo);
    } else {
      out.push(Math.min(lo, hi), Math.max(lo, hi));
    }
  }
  out.push(n - 1);
  return out;
}
