// A tiny discrete-event scheduler: every simulated process says when it fires next. Processes always fire in
// time order (ties by registration order), so the output does not depend on how time is chunked into
// `advance` calls: a week in one call or in 5-second slices gives the same records.

/** Wire-format records as a client would POST them (kind, ts in epoch ms). */
export type WireRecord = Record<string, unknown> & { kind: string; ts: number };

export interface Process {
  /** Absolute time (ms) of the next firing; Infinity when the process is done. */
  next: number;
  /** Emits the records due at `t` (all with ts <= t) and returns the next firing time. */
  fire(t: number, out: WireRecord[]): number;
}

export function runUntil(processes: Process[], to: number, out: WireRecord[]): void {
  for (;;) {
    let first: Process | undefined;
    for (const p of processes) {
      if (p.next <= to && (!first || p.next < first.next)) {
        first = p;
      }
    }
    if (!first) {
      return;
    }
    first.next = first.fire(first.next, out);
  }
}

/** A process firing every `interval` ms from `first` (until `until`). */
export function every(
  first: number,
  interval: number,
  fire: (t: number, out: WireRecord[]) => void,
  until = Infinity
): Process {
  return {
    next: first,
    fire(t, out) {
      fire(t, out);
      const n = t + interval;
      return n <= until ? n : Infinity;
    },
  };
}

// Record builders: plain objects in the wire format of POST /api/v1/ingest.

export function metric(
  run: string,
  name: string,
  value: number,
  ts: number,
  o: { step?: number; phase?: string; labels?: Record<string, string> } = {}
): WireRecord {
  return { kind: 'metric', run, name, value, ts, ...o };
}

export function event(title: string, ts: number, tags: string[], text = '', phase?: string): WireRecord {
  return { kind: 'event', title, text, tags, ts, ...(phase ? { phase } : {}) };
}

export function sample(feature: string, source: string, value: number | string, ts: number): WireRecord {
  return { kind: 'sample', feature, source, value, ts };
}
