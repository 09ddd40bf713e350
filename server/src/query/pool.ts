// Heavy analytics (drift, calibration, agreement) off the main thread (issue 12, defect 4): each target runs in a
// worker of a piscina pool with a wall-clock budget, its store calls answered here, so ingest and health never
// wait behind a statistic. Past the budget the worker is stopped and the target gets a QueryError.
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import Piscina from 'piscina';
import type { FrameJSON } from '@rlhf-monitor/contract';
import { overrideStore } from '../store/override';
import type { Store } from '../store/types';
import { countedReads } from './bounded';
import { QueryError } from './errors';
import { runQuery } from './index';
import type { QueryContext } from './types';
import type { StoreCall, StoreReply, WorkerReply, WorkerTask } from './worker';

/** Query types whose cost is in the statistics, not in reading points. */
export const OFFLOADED = new Set(['drift', 'calibration', 'agreement']);

/**
 * A target that reads at most this many records in all is answered on the main thread: its statistics take a few
 * milliseconds (all four agreement frames over 5,000 annotations about 12 ms on the 2-core bench machine, a drift
 * or a calibration 2-4 ms), not much more than cloning its records to a worker and its frames back (a
 * dashboard's stats are mostly such targets). Larger ones go to the pool, with the budget.
 */
export const INLINE_RECORDS = 5_000;

/** Thrown by the inline attempt's store once the target has read more than INLINE_RECORDS. */
class TooLargeInline extends Error {}

/**
 * `store` for one inline attempt: each read asks for at most one more record than the attempt has left, so a
 * large target costs the attempt INLINE_RECORDS + 1 records read, then moves to a worker.
 */
function inlineStore(store: Store): Store {
  let left = INLINE_RECORDS;
  return overrideStore(
    store,
    countedReads(
      store,
      () => left + 1,
      (n) => {
        if (n > left) {
          throw new TooLargeInline();
        }
        left -= n;
      }
    )
  );
}

export class AnalyticsPool {
  private pool: Piscina | null = null;
  /** Targets answered here and in a worker so far. */
  readonly answered = { inline: 0, worker: 0 };

  constructor(
    private readonly budgetMs: number,
    private readonly threads = Math.max(1, Math.min(4, os.availableParallelism() - 1))
  ) {}

  private workers(): Piscina {
    // Started on first use; workers load the TypeScript sources through tsx, as the service itself does.
    this.pool ??= new Piscina({
      filename: path.join(__dirname, 'worker.ts'),
      execArgv: ['--import', 'tsx'],
      // An idle thread holds ~15-20 MB (its heap, given back when idle, and the compiled sources) and a new one
      // starts in ~0.3 s: one stays warm once used, so a dashboard opened after a pause does not wait for it; the
      // others leave when idle.
      minThreads: 1,
      maxThreads: this.threads,
      idleTimeout: 5_000,
      // With Atomics a thread between tasks blocks in Atomics.wait: no timer of its own runs, so the collector
      // that gives its heap back (memory.ts) never would. A task here is tens of ms or more; a message costs less.
      atomics: 'disabled',
    });
    return this.pool;
  }

  /** One OFFLOADED target: here if it reads at most INLINE_RECORDS, else in a worker within the budget. */
  async run(target: { type?: unknown }, ctx: QueryContext): Promise<FrameJSON[]> {
    try {
      const frames = await runQuery(target, { ...ctx, store: inlineStore(ctx.store) });
      this.answered.inline++;
      return frames;
    } catch (e) {
      if (!(e instanceof TooLargeInline)) {
        throw e;
      }
    }
    const frames = await this.inWorker(target, ctx);
    this.answered.worker++;
    return frames;
  }

  private async inWorker(target: { type?: unknown }, ctx: QueryContext): Promise<FrameJSON[]> {
    const { store, ...rest } = ctx;
    const { port1, port2 } = new MessageChannel();
    const stop = new AbortController();
    const signal = stop.signal;
    let timer: NodeJS.Timeout | undefined;
    port1.on('message', (m: StoreCall | { started: true }) => {
      if ('started' in m) {
        timer = setTimeout(() => stop.abort(), this.budgetMs);
        return;
      }
      answer(store, m).then((r) => port1.postMessage(r));
    });
    try {
      const task: WorkerTask = { port: port2, target, ctx: rest };
      const reply: WorkerReply = await this.workers().run(task, { transferList: [port2] as never, signal });
      if ('error' in reply) {
        throw new QueryError(reply.error, reply.status);
      }
      return reply.frames;
    } catch (e) {
      if (signal.aborted) {
        throw new QueryError(
          `query ${ctx.refId} (${String(target.type)}): stopped after ${this.budgetMs / 1000} s, the budget of one target (targetBudgetMs); shorten the time range or name fewer features, models or datasets`,
          400
        );
      }
      throw e;
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
    this.pool = null;
  }
}

/** What a query may ask of the store (never insert or close). */
const READS = new Set<keyof Store>([
  'series',
  'seriesForPlot',
  'latest',
  'annotations',
  'predictions',
  'samples',
  'predictionColumns',
  'sampleValues',
  'events',
  'catalog',
]);

async function answer(store: Store, m: StoreCall): Promise<StoreReply> {
  try {
    if (!READS.has(m.method)) {
      throw new Error(`store.${String(m.method)} is not a read`);
    }
    const f = store[m.method] as (...a: unknown[]) => Promise<unknown>;
    return { id: m.id, result: await f.apply(store, m.args) };
  } catch (e) {
    return e instanceof QueryError
      ? { id: m.id, error: e.message, status: e.status }
      : { id: m.id, error: (e as Error).message };
  }
}
