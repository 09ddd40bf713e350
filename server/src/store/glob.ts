/**
 * `*`-wildcard matching in O(|name| + |pattern|), whatever the pattern (defect 1 of issue 12: a regex built
 * from `*a*a*a*a*a*b` backtracks exponentially). Only `*` is special (any run of characters, also empty).
 *
 * The pattern splits at `*` into literal segments: the first must be a prefix, the last a suffix, and the ones
 * between are found left to right, each at its leftmost occurrence after the previous one (taking the leftmost
 * never loses a match, because what follows only needs to fit into a longer remainder). Each segment is found
 * with Knuth-Morris-Pratt, and every search resumes where the previous one stopped, so the name is scanned once.
 */
export function globMatch(name: string, pattern: string, work?: { steps: number }): boolean {
  const segs = pattern.split('*');
  if (segs.length === 1) {
    return name === pattern;
  }
  const first = segs[0];
  const last = segs[segs.length - 1];
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) {
    return false;
  }
  let pos = first.length;
  const end = name.length - last.length;
  for (let s = 1; s < segs.length - 1; s++) {
    const seg = segs[s];
    if (seg === '') {
      continue;
    }
    const at = kmpFind(name, seg, pos, end, work);
    if (at < 0) {
      return false;
    }
    pos = at + seg.length;
  }
  return true;
}

/** First index i in [from, end - |needle|] where `needle` occurs in `text`, or -1. */
function kmpFind(text: string, needle: string, from: number, end: number, work?: { steps: number }): number {
  const fail = new Int32Array(needle.length);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) {
      k = fail[k - 1];
    }
    if (needle[i] === needle[k]) {
      k++;
    }
    fail[i] = k;
  }
  let steps = needle.length;
  for (let i = from, k = 0; i < end; i++) {
    steps++;
    while (k > 0 && text[i] !== needle[k]) {
      k = fail[k - 1];
      steps++;
    }
    if (text[i] === needle[k]) {
      k++;
    }
    if (k === needle.length) {
      if (work) {
        work.steps += steps;
      }
      return i - needle.length + 1;
    }
  }
  if (work) {
    work.steps += steps;
  }
  return -1;
}
