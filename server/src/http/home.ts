// GET /: the service's front door for a person who opens it in a browser: what is stored, the phase states and
// how to connect Grafana. With an API key set, only what /api/v1/health already shows is public.
import type { FastifyInstance } from 'fastify';
import { RECORD_KINDS, type RecordKind } from '@rlhf-monitor/contract';
import type { PhaseStatus, StatusThresholds } from '../analytics/status';
import type { Ingestor } from '../ingest/ingest';
import { sharedStatus } from '../query/status';
import type { Store } from '../store/types';

export interface HomeFacts {
  url: string;
  auth: boolean;
  counts: Record<RecordKind, number> | null;
  runs: string[] | null;
  newestPoint: number | null;
  phases: PhaseStatus[] | null;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text colours meet WCAG AA on white: teal #1DB584 is for fills only, #0a6b4b for text and links. */
const STATE_COLOR: Record<string, string> = {
  ok: '#0a6b4b',
  warning: '#8a5a00',
  critical: '#b42318',
  unknown: '#4b5563',
};

/** The next steps, shared by the page and the `npm start` banner. */
export function nextSteps(url: string, auth: boolean): string[] {
  return [
    `In Grafana, add the data source "RLHF Monitor" (humain-rlhf-datasource) with URL ${url}`,
    auth
      ? 'Paste the service key (RLHF_API_KEY) into its "API key" field: Grafana keeps it encrypted and adds it on its proxy'
      : 'No API key is set (RLHF_API_KEY): anyone who can reach this port can read and write; set one outside a laptop',
    'Open the app "RLHF Pipeline Monitor" and import its dashboards, or run `docker compose up --build` for the full stack',
    `Send data: POST ${url}/api/v1/ingest (NDJSON), or the Python client: pip install ./clients/python`,
  ];
}

export function homePage(f: HomeFacts): string {
  const counts = f.counts
    ? RECORD_KINDS.map(
        (k) => `<tr><th scope="row">${k}</th><td>${f.counts![k].toLocaleString('en-US')}</td></tr>`
      ).join('')
    : '<tr><td colspan="2">counting…</td></tr>';
  const phases = f.phases
    ? f.phases
        .map(
          (p) =>
            `<li><strong>${escape(p.phase)}</strong> <span style="color:${STATE_COLOR[p.state]}">${escape(p.state)}</span> <span class="muted">${escape(p.reason)}</span></li>`
        )
        .join('')
    : `<li class="muted">${f.auth ? 'Phase states need the API key: open the Grafana dashboards.' : 'unavailable'}</li>`;
  const runs = f.runs
    ? f.runs.length
      ? f.runs.map((r) => `<code>${escape(r)}</code>`).join(' ')
      : '<span class="muted">no runs yet</span>'
    : '<span class="muted">Run names need the API key.</span>';
  const newest = f.newestPoint === null ? 'none yet' : new Date(f.newestPoint).toISOString();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>RLHF Pipeline Monitor service</title>
<style>
body{font-family:Inter,system-ui,sans-serif;color:#333;background:#F6F5F4;margin:0}
header{background:#1DB584;color:#06281c;padding:16px 24px}
header h1{margin:0;font-size:20px}
main{max-width:880px;margin:24px auto;padding:0 16px;display:grid;gap:16px}
section{background:#fff;border:1px solid #e1e8ed;border-radius:12px;padding:16px 20px}
h2{font-size:16px;margin:0 0 8px}
table{border-collapse:collapse}th,td{text-align:left;padding:2px 16px 2px 0}
.muted{color:#4b5563}a{color:#0a6b4b}code{background:#f0fdf9;padding:1px 4px;border-radius:4px}
ul,ol{margin:0;padding-left:20px}li{margin:4px 0}
</style></head>
<body><header><h1>RLHF Pipeline Monitor · metrics service</h1></header>
<main>
<section aria-labelledby="stored"><h2 id="stored">What is stored</h2>
<table><tbody>${counts}</tbody></table>
<p>Runs: ${runs}</p><p>Newest metric point: ${newest}</p></section>
<section aria-labelledby="phases"><h2 id="phases">Phase states</h2><ul>${phases}</ul></section>
<section aria-labelledby="connect"><h2 id="connect">Connect Grafana</h2>
<ol>${nextSteps(f.url, f.auth)
    .map((s) => `<li>${escape(s)}</li>`)
    .join('')}</ol>
<p class="muted">API: <a href="/api/v1/health">/api/v1/health</a> · <code>POST /api/v1/ingest</code> · <code>POST /api/v1/query</code> · <code>/metrics</code></p>
</section></main></body></html>`;
}

/** The phase states as of now, shared with the status query and /metrics (sharedStatus). */
async function homePhases(deps: Parameters<typeof homeRoutes>[1]) {
  const now = deps.clock();
  const q = { at: now, now, th: deps.status, version: deps.dataVersion?.() };
  return (await sharedStatus(deps.store, q)).phases;
}

export function homeRoutes(
  app: FastifyInstance,
  deps: {
    store: Store;
    ingestor: Ingestor;
    status: StatusThresholds;
    apiKey?: string;
    clock: () => number;
    dataVersion?: () => number;
  }
) {
  app.get('/', async (req, reply) => {
    const auth = Boolean(deps.apiKey);
    const url = `${req.protocol}://${req.host}`;
    const points = deps.ingestor.latest.latest({});
    const facts: HomeFacts = {
      url,
      auth,
      counts: deps.ingestor.counts(),
      runs: auth ? null : await deps.store.catalog('runs'),
      newestPoint: points.reduce<number | null>((m, p) => (m === null || p.ts > m ? p.ts : m), null),
      phases: auth ? null : await homePhases(deps),
    };
    return reply.type('text/html; charset=utf-8').send(homePage(facts));
  });
}
