import { DEFAULT_CONFIG, DEFAULT_LIMITS, type ServiceConfig } from './config';
import { buildApp } from './http/app';
import { Ingestor } from './ingest/ingest';
import { openStore } from './store/open';
import type { Store } from './store/types';

/** The validated configuration (main.ts builds it from the environment); tests set only what they need. */
export interface ServiceOptions extends Partial<Omit<ServiceConfig, 'limits'>> {
  limits?: Partial<ServiceConfig['limits']>;
  logger?: boolean;
  /** Largest accepted request body in bytes (default 32 MB; shorthand for `limits.bodyBytes`). */
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
  const limits = { ...DEFAULT_LIMITS, ...o.limits, ...(o.bodyLimit === undefined ? {} : { bodyBytes: o.bodyLimit }) };
  const ingestor = new Ingestor(store, clock, limits.newSeriesPerBatch);
  await ingestor.load();
  const { app } = buildApp({
    store,
    ingestor,
    apiKey: o.apiKey,
    logger: o.logger,
    limits,
    clock,
    status: o.status ?? DEFAULT_CONFIG.status,
  });
  let demoStart: () => number | undefined = () => undefined;
  if (o.demo) {
    // The demo's vLLM and dcgm-exporter endpoints follow the same story as the demo's records.
    const { demoExporterRoutes } = await import('./demo/exporters/routes');
    demoExporterRoutes(app, { storyStart: () => demoStart(), clock });
  }
  await app.listen({ host: o.host ?? '127.0.0.1', port: o.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;

  let stopDemo = async () => {};
  let seeded: Promise<void> = Promise.resolve();
  if (o.demo) {
    const { startDemo } = await import('./demo/runner');
    const demo = startDemo({ ingest: (raw) => ingestor.ingest(raw), seed: o.demoSeed ?? 42, now: clock, store });
    stopDemo = demo.stop;
    demoStart = demo.storyStart;
    seeded = demo.seeded;
  }

  // Replicas on one PostgreSQL see each other's series within replicaRefreshSeconds (status, /metrics, caps).
  const shared = /^postgres(ql)?:\/\//.test(o.db ?? '');
  let refreshing = false; // one refresh at a time: a slow database never piles them up
  const refresh = () => {
    if (!refreshing) {
      refreshing = true;
      ingestor
        .refresh()
        .catch(() => undefined) // keep the index as it is; the next tick tries again
        .finally(() => (refreshing = false));
    }
  };
  const refreshMs = 1000 * (o.replicaRefreshSeconds ?? DEFAULT_CONFIG.replicaRefreshSeconds);
  const refresher = shared ? setInterval(refresh, refreshMs).unref() : undefined;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    store,
    ingestor,
    seeded,
    close() {
      // Stop producing, finish in-flight requests (each acknowledged batch is already committed), then close the file.
      closing ??= (async () => {
        clearInterval(refresher);
        await stopDemo();
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}
