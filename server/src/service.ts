import { buildApp } from './http/app';
import { Ingestor } from './ingest/ingest';
import { openStore } from './store/open';
import type { Store } from './store/types';

export interface ServiceOptions {
  host?: string;
  port?: number;
  db?: string;
  apiKey?: string;
  demo?: boolean;
  demoSeed?: number;
  logger?: boolean;
  /** Largest accepted request body in bytes (default 32 MB). */
  bodyLimit?: number;
  /** Injectable clock (ms) for tests and the demo. */
  clock?: () => number;
}

export interface Service {
  url: string;
  store: Store;
  ingestor: Ingestor;
  /** Resolves when the demo's seven-day history is stored (immediately without the demo). */
  seeded: Promise<void>;
  close(): Promise<void>;
}

/** Open the store, serve the API, and (optionally) run the demo pipeline through the ingest path. */
export async function startService(o: ServiceOptions = {}): Promise<Service> {
  const clock = o.clock ?? Date.now;
  const store = await openStore(o.db ?? ':memory:');
  const ingestor = new Ingestor(store, clock);
  const { app } = buildApp({ store, ingestor, apiKey: o.apiKey, logger: o.logger, bodyLimit: o.bodyLimit, clock });
  await app.listen({ host: o.host ?? '127.0.0.1', port: o.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;

  let stopDemo = async () => {};
  let seeded: Promise<void> = Promise.resolve();
  if (o.demo) {
    const { startDemo } = await import('./demo/runner');
    const demo = startDemo({ ingest: (raw) => ingestor.ingest(raw), seed: o.demoSeed ?? 42, now: clock, store });
    stopDemo = demo.stop;
    seeded = demo.seeded;
  }

  let closing: Promise<void> | undefined;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    store,
    ingestor,
    seeded,
    close() {
      // Stop producing, finish in-flight requests (each acknowledged batch is already committed), then close the file.
      closing ??= (async () => {
        await stopDemo();
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}
