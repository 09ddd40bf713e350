import { shortLived } from './memo';

describe('shortLived', () => {
  let t = 0;
  const memo = () => shortLived<number>({ ttlMs: 1000, max: 2, now: () => t });

  it('answers repeated and concurrent asks from one computation until it expires', async () => {
    t = 0;
    const m = memo();
    const store = {};
    let runs = 0;
    const compute = async () => ++runs;
    const [a, b] = await Promise.all([m(store, 'k', compute), m(store, 'k', compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    t = 999;
    expect(await m(store, 'k', compute)).toBe(1);
    t = 1000;
    expect(await m(store, 'k', compute)).toBe(2);
    // Another store (another service instance) never shares.
    expect(await m({}, 'k', compute)).toBe(3);
  });

  it('keeps at most `max` keys and forgets failures', async () => {
    t = 0;
    const m = memo();
    const store = {};
    let runs = 0;
    const compute = async () => ++runs;
    await m(store, 'a', compute);
    await m(store, 'b', compute);
    await m(store, 'c', compute); // evicts a
    expect(await m(store, 'c', compute)).toBe(3);
    expect(await m(store, 'a', compute)).toBe(4);
    await expect(m(store, 'x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await m(store, 'x', compute)).toBe(5);
  });
});
