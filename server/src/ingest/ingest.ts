import { validateRecord } from '../records/validate';
import type { RecordKind, RlhfRecord } from '@rlhf-monitor/contract';
import type { Store } from '../store/types';
import { DEFAULT_LIMITS } from '../config';
import { LatestIndex } from './latest';
import { nextTurn } from '../turns';

/** A batch was rejected; nothing of it was stored. `line` is 1-based (the NDJSON line or array index + 1). */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly field?: string
  ) {
    super(message);
  }
}

const COUNTS_MAX_AGE_MS = 10_000;

export interface IngestCounters {
  accepted: Record<RecordKind, number>;
  rejectedBatches: number;
  rejectedRecords: number;
}

/**
 * The single ingest path: HTTP, importers and the demo pipeline all come through here.
 * Validates every record first, then stores the whole batch in one transaction.
 */
export class Ingestor {
  readonly counters: IngestCounters = {
    accepted: { metric: 0, annotation: 0, prediction: 0, sample: 0, event: 0 },
    rejectedBatches: 0,
    rejectedRecords: 0,
  };

  /**
   * Records in the store, per kind, for health: counted by `load`, advanced by every stored batch, and recounted
   * in the background at most every COUNTS_MAX_AGE_MS (a repeated point replaces one, so the sum can run ahead).
   */
  private stored: Record<RecordKind, number> | null = null;
  private countedAt = 0;
  private recounting = false;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
    /** Series one batch may create (a typo in a label, repeated per record, must not create a million). */
    private readonly newSeriesPerBatch: number = DEFAULT_LIMITS.newSeriesPerBatch
  ) {}

  /** Newest point of every series (status, /metrics), kept like `stored`. */
  readonly latest = new LatestIndex();

  /**
   * Read the store's counts and newest points once (at start, before the service listens, so no batch is in
   * flight), so health, status and /metrics answer from memory however large the store grows.
   */
  async load(): Promise<void> {
    this.stored = await this.store.counts();
    this.countedAt = performance.now();
    this.latest.reset(await this.store.latest({}));
  }

  /** Re-read the store's newest points (other replicas write to a shared PostgreSQL too); see LatestIndex.merge. */
  async refresh(): Promise<void> {
    this.latest.merge(await this.store.latest({}));
  }

  /** Stored records per kind, from memory (null before `load`); schedules a recount when the last is old. */
  counts(): Record<RecordKind, number> | null {
    if (this.stored && !this.recounting && performance.now() - this.countedAt > COUNTS_MAX_AGE_MS) {
      this.recounting = true;
      // After the caller's answer is sent, never in its way.
      setImmediate(() =>
        this.store
          .counts()
          .then((c) => (this.stored = c))
          .catch(() => undefined) // keep the last figures; the next call tries again
          .finally(() => {
            this.countedAt = performance.now();
            this.recounting = false;
          })
      );
    }
    return this.stored && { ...this.stored };
  }

  private writes: Promise<unknown> = Promise.resolve();

  /**
   * Batches reach the store one at a time, each in its own turn of the event loop (turns.ts, shared with the
   * queries' reads): SQLite writes are synchronous, and 40 batches that arrive together would otherwise run back
   * to back while a health check or a query waits behind all of them (issue 12, defect 3).
   */
  private writeTurn<T>(write: () => Promise<T>): Promise<T> {
    const turn = this.writes.then(nextTurn).then(write);
    this.writes = turn.catch(() => undefined);
    return turn;
  }

  /** `lines[i]` is the source line of `raw[i]` for error messages (NDJSON with blank lines); default i + 1. */
  async ingest(raw: unknown[], lines?: number[]): Promise<number> {
    const now = this.clock();
    const records: RlhfRecord[] = new Array(raw.length);
    const reject = (e: ValidationError) => {
      this.counters.rejectedBatches++;
      this.counters.rejectedRecords += raw.length;
      return e;
    };
    for (let i = 0; i < raw.length; i++) {
      const v = validateRecord(raw[i], now);
      if (!v.ok) {
        const line = lines?.[i] ?? i + 1;
        throw reject(
          new ValidationError(
            `line ${line}: field "${v.field}" ${v.message}; nothing of this batch was stored`,
            line,
            v.field
          )
        );
      }
      records[i] = v.record;
    }
    const created = this.latest.newSeries(records);
    if (created > this.newSeriesPerBatch) {
      throw reject(
        new ValidationError(
          `the batch would create ${created} new series, more than the limit of ${this.newSeriesPerBatch} (newSeriesPerBatch); nothing of this batch was stored. Check the labels for per-record values (ids, timestamps), or send the series in several batches`
        )
      );
    }
    await this.writeTurn(() => this.store.insert(records));
    this.latest.add(records);
    for (const r of records) {
      this.counters.accepted[r.kind]++;
      if (this.stored) {
        this.stored[r.kind]++;
      }
    }
    return records.length;
  }
}
