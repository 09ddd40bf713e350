// A worker thread of the analytics pool (pool.ts): runs one query target with a store whose every call is
// answered by the main thread over `port`, so the statistics run here and the store stays where it is.
import type { MessagePort } from 'node:worker_threads';
import type { FrameJSON } from '@rlhf-monitor/contract';
import { collectWhenIdle } from '../memory';
import type { Store } from '../store/types';
import { QueryError } from './errors';
import { runQuery } from './index';
import type { QueryContext } from './types';

export interface WorkerTask {
  port: MessagePort;
  target: unknown;
  ctx: Omit<QueryContext, 'store'>;
}

export type WorkerReply = { frames: FrameJSON[] } | { error: string; status: number };
export type StoreCall = { id: number; method: keyof Store; args: unknown[] };
export type StoreReply = { id: number; result?: unknown; error?: string; status?: number };

function remoteStore(port: MessagePort): Store {
  let next = 0;
  const pending = new Map<number, (r: StoreReply) => void>();
  port.on('message', (r: StoreReply) => {
    pending.get(r.id)?.(r);
    pending.delete(r.id);
  });
  const call =
    (method: keyof Store) =>
    (...args: unknown[]) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, (r) =>
          r.error === undefined
            ? resolve(r.result)
            : reject(r.status === undefined ? new Error(r.error) : new QueryError(r.error, r.status))
        );
        port.postMessage({ id, method, args } satisfies StoreCall);
      });
  return new Proxy({} as Store, { get: (_t, method) => call(method as keyof Store) });
}

// This thread's heap stays at its peak once the queries stop, as the main thread's would (memory.ts).
collectWhenIdle();

export default async function run(task: WorkerTask): Promise<WorkerReply> {
  // The budget starts now, not while the pool was starting this thread.
  task.port.postMessage({ started: true });
  try {
    return { frames: await runQuery(task.target, { ...task.ctx, store: remoteStore(task.port) }) };
  } catch (e) {
    if (e instanceof QueryError) {
      return { error: e.message, status: e.status };
    }
    throw e;
  } finally {
    task.port.close();
  }
}
