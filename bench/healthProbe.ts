// The load balancer's health probe for load.bench.ts, in its own process: timed here, the figures hold the
// service's delay only, not the bench's own event-loop lag while it builds 40 ingest bodies and parses answers.
// Forked with argv [url, intervalMs]; sent 'mark', it sends back { ms, errors } so far and starts afresh; sent
// 'stop', it sends back the rest and exits.
const [url, interval] = [process.argv[2], Number(process.argv[3] ?? 20)];
let ms: number[] = [];
let errors: string[] = [];
let running = true;

process.on('message', (m) => {
  if (m === 'mark') {
    process.send?.({ ms, errors });
    [ms, errors] = [[], []];
  } else if (m === 'stop') {
    running = false;
  }
});

async function probe() {
  process.send?.('ready');
  while (running) {
    const t = performance.now();
    try {
      const res = await fetch(`${url}/api/v1/health`);
      await res.text();
      if (res.status !== 200) {
        errors.push(`health ${res.status}`);
      }
    } catch (e) {
      errors.push(`health: ${(e as Error).message}`);
    }
    ms.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, interval));
  }
  process.send?.({ ms, errors }, () => process.exit(0));
}

void probe();
