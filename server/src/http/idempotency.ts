// `Idempotency-Key` on ingest: a client that retries a batch after a timeout (it cannot know whether the first
// try was stored) sends the same key, and the batch is stored once. Metric points and annotations are idempotent
// in the store anyway; this covers predictions, samples and events, which have no natural identity. Keys are
// remembered per service process for `ttlMs` (a retry through a load balancer to another replica is not covered).

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,128}$/;

export class IdempotencyCache<T> {
  private readonly entries = new Map<string, { at: number; answer: Promise<T> }>();

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 10_000
  ) {}

  /** Whether `key` is a usable key (printable ASCII, at most 128 characters). */
  static valid(key: unknown): key is string {
    return typeof key === 'string' && KEY.test(key);
  }

  /**
   * The answer for `key`: the remembered one (replayed: true) while it is fresh, else `run()`'s, remembered if it
   * succeeds. A second request with the key while the first is in flight waits for the first.
   */
  async once(key: string, run: () => Promise<T>): Promise<{ answer: T; replayed: boolean }> {
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      return { answer: await hit.answer, replayed: true };
    }
    const answer = run();
    this.entries.delete(key);
    this.entries.set(key, { at: now, answer });
    // Map order is insertion order: the first entries are the oldest.
    while (this.entries.size > this.max) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    try {
      return { answer: await answer, replayed: false };
    } catch (e) {
      this.entries.delete(key); // a rejected batch stored nothing: a retry must run again
      throw e;
    }
  }
}
