// An O(n) sort for large Float64 samples: LSD radix sort on the IEEE-754 bit patterns (Herf 2001, "Radix Tricks":
// flip every bit of a negative number and only the sign bit of a positive one, and the unsigned 64-bit order of
// the patterns equals the numeric order). Six passes of 11-bit digits (2048 counters stay in L1 cache), all six
// histograms from one read; passes where every key has the same digit are skipped.

const RADIX_MIN = 4096; // below this the native sort is as fast
const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
const PASSES = 6; // 6 × 11 = 66 >= 64 bits
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Digit p (bits 11p .. 11p+10) of the 64-bit key (hi, lo). */
function digit(lo: number, hi: number, p: number): number {
  const shift = BITS * p;
  if (shift + BITS <= 32) {
    return (lo >>> shift) & MASK;
  }
  if (shift < 32) {
    return ((lo >>> shift) | (hi << (32 - shift))) & MASK;
  }
  return (hi >>> (shift - 32)) & MASK;
}

/** Ascending Float64Array copy of `src` (finite values; -0 sorts before +0, as in Float64Array.sort). */
export function sortedFloat64(src: ArrayLike<number>): Float64Array {
  const n = src.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = src[i];
  }
  if (n < RADIX_MIN || !LITTLE_ENDIAN) {
    return out.sort();
  }
  const words = new Uint32Array(out.buffer); // words[2i] = low half, words[2i + 1] = high half (sign bit on top)
  const counts = new Uint32Array(PASSES * RADIX);
  for (let i = 0; i < n; i++) {
    let hi = words[2 * i + 1];
    let lo = words[2 * i];
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    words[2 * i + 1] = hi;
    words[2 * i] = lo;
    for (let p = 0; p < PASSES; p++) {
      counts[p * RADIX + digit(lo, hi, p)]++;
    }
  }
  let from = words;
  let to = new Uint32Array(2 * n);
  for (let p = 0; p < PASSES; p++) {
    const base = p * RADIX;
    if (counts[base + digit(from[0], from[1], p)] === n) {
      continue; // every key has this digit: the pass would not move anything
    }
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[base + d];
      counts[base + d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = from[2 * i];
      const hi = from[2 * i + 1];
      const pos = counts[base + digit(lo, hi, p)]++;
      to[2 * pos] = lo;
      to[2 * pos + 1] = hi;
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from !== words) {
    words.set(from);
  }
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) {
      words[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    } else {
      words[2 * i + 1] = ~hi >>> 0;
      words[2 * i] = ~words[2 * i] >>> 0;
    }
  }
  return out;
}
