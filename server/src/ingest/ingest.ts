import { validateRecord } from '../records/validate';
import type { RecordKind, RlhfRecord } from '../records/types';
import type { Store } from '../store/types';

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

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now
  ) {}

  /** `lines[i]` is the source line of `raw[i]` for error messages (NDJSON with blank lines); default i + 1. */
  async ingest(raw: unknown[], lines?: number[]): Promise<number> {
    const now = this.clock();
    const records: RlhfRecord[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = validateRecord(raw[i], now);
      if (!v.ok) {
        this.counters.rejectedBatches++;
        this.counters.rejectedRecords += raw.length;
        const line = lines?.[i] ?? i + 1;
        throw new ValidationError(
          `line ${line}: field "${v.field}" ${v.message}; nothing of this batch was stored`,
          line,
          v.field
        );
      }
      records[i] = v.record;
    }
    await this.store.insert(records);
    for (const r of records) {
      this.counters.accepted[r.kind]++;
    }
    return records.length;
  }
}
