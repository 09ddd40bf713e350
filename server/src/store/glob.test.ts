import { globMatch } from './glob';

/** Reference: the textbook O(n·m) dynamic programme over (name prefix, pattern prefix). */
function reference(name: string, pattern: string): boolean {
  let prev = new Array<boolean>(name.length + 1).fill(false);
  prev[0] = true;
  for (const c of pattern) {
    const cur = new Array<boolean>(name.length + 1).fill(false);
    cur[0] = c === '*' && prev[0];
    for (let i = 1; i <= name.length; i++) {
      cur[i] = c === '*' ? prev[i] || cur[i - 1] : prev[i - 1] && name[i - 1] === c;
    }
    prev = cur;
  }
  return prev[name.length];
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('globMatch', () => {
  it('matches literal, prefix, suffix, infix and multi-star patterns', () => {
    expect(globMatch('loss', 'loss')).toBe(true);
    expect(globMatch('loss', 'los')).toBe(false);
    expect(globMatch('train/loss', 'train/*')).toBe(true);
    expect(globMatch('eval/loss', '*loss')).toBe(true);
    expect(globMatch('objective/kl', '*ive*k*')).toBe(true);
    expect(globMatch('aba', 'a*ba')).toBe(true);
    expect(globMatch('ab', 'a*ba')).toBe(false); // prefix and suffix must not overlap
    expect(globMatch('', '*')).toBe(true);
    expect(globMatch('a.b', 'a?b')).toBe(false); // only * is special
    expect(globMatch('x\u0000y', 'x*y')).toBe(true);
  });

  it('agrees with the reference on 20,000 random patterns and names', () => {
    const r = rng(12);
    const pick = (alphabet: string, n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const wrong: string[] = [];
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const name = pick('ab', Math.floor(r() * 12));
      const pattern = pick('ab**', Math.floor(r() * 10));
      const want = reference(name, pattern);
      matched += want ? 1 : 0;
      if (globMatch(name, pattern) !== want) {
        wrong.push(`${JSON.stringify(name)} ~ ${JSON.stringify(pattern)}: expected ${want}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(matched).toBeGreaterThan(2000); // both outcomes are well represented
  });

  it('does work linear in name + pattern on the patterns that freeze a backtracking regex (defect 1)', () => {
    for (const [name, pattern] of [
      ['a'.repeat(100), '*a*a*a*a*a*b'],
      ['a'.repeat(512), '*a'.repeat(200) + '*b'],
      ['a'.repeat(511) + 'b', '*' + 'a'.repeat(100) + 'b*'],
      ['ab'.repeat(256), '*aab*'.repeat(50)],
    ]) {
      const work = { steps: 0 };
      const got = globMatch(name, pattern, work);
      expect(got).toBe(reference(name, pattern));
      expect(work.steps).toBeLessThanOrEqual(2 * name.length + 2 * pattern.length);
    }
  });
});
