/** @jest-environment node */
// The provisioned dashboards: up to date with their TypeScript source, structurally what Grafana's schema
// requires, only provisioned data sources and existing panel types, and every query of our data source
// answered with data by the real service running the demo pipeline.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { Panel, RowPanel } from '@grafana/schema';
import { ALERT_RULES } from './src/alerts';
import { buildDashboards, generatedFiles } from './src/all';
import { GRID_COLUMNS, RLHF_DS, SCHEMA_VERSION, SHARED_TAG, type ProvisionedDashboard } from './src/builders';
import { DASHBOARDS } from './src/links';

const ROOT = join(__dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** The committed dashboards, as Grafana's file provider reads them. */
const committed: ProvisionedDashboard[] = Object.values(DASHBOARDS).map((d) =>
  JSON.parse(read(`dashboards/${d.file}`))
);

/** Grafana 12.4's built-in panel types that these dashboards may use. */
const BUILT_IN_PANELS = new Set([
  'timeseries',
  'stat',
  'table',
  'barchart',
  'bargauge',
  'gauge',
  'state-timeline',
  'status-history',
  'heatmap',
  'histogram',
  'piechart',
  'text',
  'alertlist',
  'annolist',
  'dashlist',
  'trend',
  'xychart',
  'row',
]);

/** Our panel plugin ids, read from their plugin.json files. */
function ourPanelIds(): string[] {
  const dir = join(ROOT, 'src/panels');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      try {
        const p = JSON.parse(readFileSync(join(dir, e.name, 'plugin.json'), 'utf8'));
        return p.type === 'panel' ? [p.id as string] : [];
      } catch {
        return [];
      }
    });
}

/** Provisioned data sources by uid (provisioning/datasources/datasources.yaml). */
function provisionedDataSources(): Map<string, string> {
  const doc = load(read('provisioning/datasources/datasources.yaml')) as {
    datasources: Array<{ uid: string; type: string }>;
  };
  return new Map(doc.datasources.map((d) => [d.uid, d.type]));
}

function allPanels(d: ProvisionedDashboard): Array<Panel | RowPanel> {
  return (d.panels ?? []).flatMap((p) => (p.type === 'row' ? [p, ...((p as RowPanel).panels ?? [])] : [p]));
}

describe('generated files are up to date', () => {
  it.each(generatedFiles().map((f) => [f.path, f] as const))('%s matches its TypeScript source', (path, f) => {
    const text = read(path);
    const onDisk = f.format === 'json' ? JSON.parse(text) : load(text);
    // Compared as data, so a reformat (prettier) does not matter but any changed value does.
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(f.content)));
  });

  it('the only JSON files the dashboard provider will load are the five dashboards', () => {
    const json = readdirSync(join(ROOT, 'dashboards'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.json')
    );
    expect(json.sort()).toEqual(
      Object.values(DASHBOARDS)
        .map((d) => d.file)
        .sort()
    );
  });
});

describe('dashboard structure', () => {
  it('has five dashboards with stable, unique uids and the titles of the issue', () => {
    expect(committed.map((d) => [d.uid, d.title])).toEqual([
      ['rlhf-overview', 'RLHF · Pipeline Overview'],
      ['rlhf-data', 'RLHF · 1 Data Collection'],
      ['rlhf-training', 'RLHF · 2 Training'],
      ['rlhf-evaluation', 'RLHF · 3 Evaluation'],
      ['rlhf-deployment', 'RLHF · 4 Deployment'],
    ]);
    expect(new Set(committed.map((d) => d.uid)).size).toBe(5);
  });

  it.each(committed.map((d) => [d.uid, d] as const))('%s: schema fields, shared tag, links, light theme', (_uid, d) => {
    expect(d.schemaVersion).toBe(SCHEMA_VERSION);
    expect(typeof d.title).toBe('string');
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/); // Grafana's uid limit
    expect(d.tags).toContain(SHARED_TAG);
    expect(d.style).toBe('light');
    expect(d.time).toEqual({ from: expect.any(String), to: 'now' });
    expect(d.links).toEqual([expect.objectContaining({ type: 'dashboards', tags: [SHARED_TAG], keepTime: true })]);
    expect(Array.isArray(d.panels) && d.panels.length).toBeGreaterThan(3);
  });

  it.each(committed.map((d) => [d.uid, d] as const))(
    '%s: unique panel ids, gridPos inside 24 columns, no overlap',
    (_uid, d) => {
      const panels = allPanels(d);
      const ids = panels.map((p) => p.id);
      expect(ids.every((id) => Number.isInteger(id) && (id as number) > 0)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      const boxes = panels.map((p) => ({ title: p.title, ...p.gridPos! }));
      for (const b of boxes) {
        expect(b.x).toBeGreaterThanOrEqual(0);
        expect(b.y).toBeGreaterThanOrEqual(0);
        expect(b.w).toBeGreaterThan(0);
        expect(b.h).toBeGreaterThan(0);
        expect(b.x + b.w).toBeLessThanOrEqual(GRID_COLUMNS);
      }
      const overlaps: string[] = [];
      boxes.forEach((a, i) =>
        boxes.slice(i + 1).forEach((b) => {
          if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
            overlaps.push(`${a.title} / ${b.title}`);
          }
        })
      );
      expect(overlaps).toEqual([]);
    }
  );

  it.each(committed.map((d) => [d.uid, d] as const))(
    '%s: every panel type exists and every data source is provisioned',
    (_uid, d) => {
      const types = new Set([...BUILT_IN_PANELS, ...ourPanelIds()]);
      const provisioned = provisionedDataSources();
      const bad: string[] = [];
      const checkRef = (where: string, ref: { uid?: string; type?: string } | null | undefined) => {
        if (ref && (provisioned.get(ref.uid ?? '') !== ref.type || ref.uid === undefined)) {
          bad.push(`${where}: ${JSON.stringify(ref)}`);
        }
      };
      for (const p of allPanels(d)) {
        if (!types.has(p.type)) {
          bad.push(`${p.title}: unknown panel type ${p.type}`);
        }
        checkRef(`${p.title}`, p.datasource);
        for (const t of ((p as Panel).targets ?? []) as Array<{ datasource?: { uid?: string; type?: string } }>) {
          checkRef(`${p.title} target`, t.datasource);
          expect(t.datasource?.uid).toBe(p.datasource?.uid);
        }
      }
      for (const a of d.annotations?.list ?? []) {
        if (a.builtIn !== 1) {
          checkRef(`annotation ${a.name}`, a.datasource);
        }
      }
      for (const v of d.templating?.list ?? []) {
        checkRef(`variable ${v.name}`, v.datasource);
      }
      expect(bad).toEqual([]);
    }
  );

  it('no stat or gauge selects fields by regex and renames them (Grafana matches the regex on the new name)', () => {
    const bad = committed
      .flatMap(allPanels)
      .filter((p) => ['stat', 'bargauge', 'gauge'].includes(p.type))
      .filter((p) => ((p as Panel).options as { reduceOptions?: { fields?: string } })?.reduceOptions?.fields)
      .filter(
        (p) =>
          (p as Panel).fieldConfig?.defaults?.displayName ||
          (p as Panel).fieldConfig?.overrides?.some((o) => o.properties.some((x) => x.id === 'displayName'))
      )
      .map((p) => p.title);
    expect(bad).toEqual([]);
  });

  it('our panel plugins are all used, and the pipeline panel tops the overview', () => {
    const used = new Set(committed.flatMap((d) => allPanels(d).map((p) => p.type)));
    expect(ourPanelIds().sort()).toEqual(['humain-calibration-panel', 'humain-drift-panel', 'humain-pipeline-panel']);
    for (const id of ourPanelIds()) {
      expect(used).toContain(id);
    }
    const top = committed[0].panels![0];
    expect(top).toMatchObject({ type: 'humain-pipeline-panel', gridPos: { x: 0, y: 0, w: 24 } });
  });

  it('teal is the main series colour and thresholds use the HUMAIN status colours', () => {
    const colours = new Set<string>();
    for (const p of committed.flatMap(allPanels)) {
      const c = (p as Panel).fieldConfig?.defaults?.color;
      if (c?.fixedColor) {
        colours.add(c.fixedColor);
      }
      for (const s of (p as Panel).fieldConfig?.defaults?.thresholds?.steps ?? []) {
        colours.add(s.color);
      }
    }
    for (const c of ['#1DB584', '#10B981', '#ffc107', '#EF4444']) {
      expect(colours).toContain(c);
    }
    // Over our data source's panels: Prometheus panels draw many GPUs or models at once in Grafana's palette,
    // as Grafana's own vLLM and DCGM dashboards do.
    const series = committed
      .flatMap(allPanels)
      .filter((p) => p.type === 'timeseries' && (p as Panel).datasource?.uid === RLHF_DS.uid);
    const teal = series.filter((p) => (p as Panel).fieldConfig?.defaults?.color?.fixedColor === '#1DB584');
    expect(teal.length / series.length).toBeGreaterThan(0.6);
  });

  it('the Evaluation drift panel shows the histogram of $feature first, a hidden variable the bars set', () => {
    const evaluation = committed.find((d) => d.uid === 'rlhf-evaluation')!;
    expect(evaluation.templating?.list?.find((v) => v.name === 'feature')).toMatchObject({
      type: 'textbox',
      hide: 2,
      current: { value: '' },
    });
    const drift = allPanels(evaluation).filter((p) => p.type === 'humain-drift-panel') as Panel[];
    expect(drift.map((p) => (p.options as { selectedFeature?: string }).selectedFeature)).toEqual(['$feature']);
  });

  it('the in-memory build equals the committed JSON (generator is deterministic)', () => {
    expect(JSON.parse(JSON.stringify(buildDashboards().map((b) => b.dashboard)))).toEqual(committed);
  });
});

// ---- every query of our data source, against the real service with the demo pipeline ----------------

type Target = Record<string, unknown> & { refId: string; type: string; datasource?: { uid?: string } };
interface Frame {
  schema: { name?: string; fields: Array<{ name: string; type: string }> };
  data: { values: unknown[][] };
}

/** Variable defaults of a dashboard: name -> the `current` value saved in the JSON. */
function defaults(d: ProvisionedDashboard): Record<string, string | string[]> {
  return Object.fromEntries(
    (d.templating?.list ?? []).map((v) => [
      v.name,
      Array.isArray(v.current?.value) ? v.current.value.map(String) : String(v.current?.value ?? ''),
    ])
  );
}

/**
 * Replace $name / ${name} in every string (and string array) field, as the data source does: a field that is
 * exactly a multi-value variable becomes the list of its values (what the service receives for run, metric ...).
 */
function withDefaults<T>(value: T, vars: Record<string, string | string[]>): T {
  const text = (v: string | string[]) => (Array.isArray(v) ? v.join(',') : v);
  const sub = (s: string) =>
    s.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a, b) => (vars[a ?? b] !== undefined ? text(vars[a ?? b]) : m));
  return JSON.parse(JSON.stringify(value), (_k, v) => {
    const whole = typeof v === 'string' ? /^\$\{?(\w+)\}?$/.exec(v) : null;
    if (whole && Array.isArray(vars[whole[1]])) {
      return vars[whole[1]];
    }
    return typeof v === 'string' ? sub(v) : v;
  });
}

/** Every target of our data source in a dashboard: panel targets, annotation targets, variable queries. */
function rlhfTargets(d: ProvisionedDashboard): Array<{ where: string; target: Target }> {
  const out: Array<{ where: string; target: Target }> = [];
  for (const p of allPanels(d)) {
    for (const t of ((p as Panel).targets ?? []) as Target[]) {
      if (t.datasource?.uid === RLHF_DS.uid) {
        out.push({ where: `${d.uid} / ${p.title} / ${t.refId}`, target: t });
      }
    }
  }
  for (const a of d.annotations?.list ?? []) {
    if (a.datasource?.uid === RLHF_DS.uid && a.target) {
      out.push({ where: `${d.uid} / annotation ${a.name}`, target: a.target as unknown as Target });
    }
  }
  for (const v of d.templating?.list ?? []) {
    if (v.datasource?.uid === RLHF_DS.uid) {
      out.push({ where: `${d.uid} / variable ${v.name}`, target: v.query as Target });
    }
  }
  return out.map(({ where, target }) => ({ where, target: withDefaults(target, defaults(d)) }));
}

const nonEmpty = (f: Frame) => f.data.values.some((col) => col.length > 0);

/**
 * Runs dashboards/src/panelView.ts (Grafana's own @grafana/data: transformations, display names, field
 * matchers) on each panel with its frames, in a child process: @grafana/data needs a DOM and ESM-only
 * packages that this Node jest project cannot load.
 */
function grafanaView(
  cases: Array<{ where: string; panel: Panel; frames: Frame[] }>
): Array<{ where: string; shown: string[]; links: Array<{ field: string; urls: string[] }>; problem?: string }> {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'src/panelView.ts')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`panelView.ts failed (${r.status}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

describe('every target of our data source returns data from the demo service', () => {
  let service: { url: string; seeded: Promise<void>; close(): Promise<void> } | undefined;

  beforeAll(async () => {
    // server/src/service.ts is the lead's; its demo seeds seven days of history through the ingest path.
    const { startService } = await import('../server/src/service');
    service = await startService({ demo: true, port: 0, db: ':memory:' });
    await service.seeded;
  }, 180_000);

  afterAll(async () => {
    await service?.close();
  });

  async function query(
    d: ProvisionedDashboard,
    targets: Target[]
  ): Promise<Record<string, { frames?: Frame[]; error?: string }>> {
    const to = Date.now();
    const days = Number(/now-(\d+)d/.exec(d.time?.from ?? '')?.[1] ?? 7);
    const res = await fetch(`${service!.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: to - days * 86_400_000, to, maxDataPoints: 500, queries: targets }),
    });
    const body = (await res.json()) as {
      results?: Record<string, { frames?: Frame[]; error?: string }>;
      error?: string;
    };
    expect(body.error).toBeUndefined();
    expect(res.status).toBe(200);
    return body.results ?? {};
  }

  it.each(committed.map((d) => [d.uid, d] as const))(
    '%s: each target, with variables at their defaults, returns a non-empty frame',
    async (_uid, d) => {
      const failures: string[] = [];
      for (const { where, target } of rlhfTargets(d)) {
        // One request per target: refIds repeat across panels, and an error stays attributable.
        const r = (await query(d, [{ ...target, refId: 'T' }])).T;
        if (r?.error) {
          failures.push(`${where}: ${r.error}`);
        } else if (!(r?.frames ?? []).some(nonEmpty)) {
          failures.push(`${where}: no non-empty frame (${JSON.stringify(target)})`);
        }
      }
      expect(failures).toEqual([]);
    },
    120_000
  );

  /** Every panel of our data source with its frames from the demo service, as Grafana 12.4 would draw it (once). */
  let verdictsOnce: Promise<ReturnType<typeof grafanaView>> | undefined;
  const panelVerdicts = () =>
    (verdictsOnce ??= (async () => {
      const cases: Array<{ where: string; panel: Panel; frames: Frame[] }> = [];
      for (const d of committed) {
        const vars = defaults(d);
        for (const p of allPanels(d) as Panel[]) {
          if (p.datasource?.uid !== RLHF_DS.uid) {
            continue;
          }
          const targets = withDefaults((p.targets ?? []) as Target[], vars);
          const results = await query(d, targets);
          cases.push({
            where: `${d.uid} / ${p.title}`,
            panel: p,
            frames: targets.flatMap((t) => results[t.refId]?.frames ?? []),
          });
        }
      }
      expect(cases.length).toBeGreaterThan(40);
      return grafanaView(cases);
    })());

  it('each panel of our data source has something to draw, as Grafana 12.4 computes it', async () => {
    const verdicts = await panelVerdicts();
    expect(
      verdicts.filter((v) => v.problem).map((v) => `${v.where}: ${v.problem} (shown: ${v.shown.join(', ')})`)
    ).toEqual([]);
    // Spot checks that the display-name rules are what the dashboards assume.
    const shown = (where: string) => verdicts.find((v) => v.where === where)?.shown;
    expect(shown('rlhf-evaluation / ECE')).toEqual(['ECE']);
    expect(shown('rlhf-evaluation / PSI by feature')).toEqual(['prompt_length', 'response_length', 'reward_score']);
    expect(shown('rlhf-training / Reward hacking')).toEqual(['state']);
    expect(shown('rlhf-training / Tokens / s')).toEqual(['tokens/s']);
    expect(shown('rlhf-data / Items and annotators')).toEqual(['items', 'annotators']);
  }, 180_000);

  it('every `run` column of every table opens that run in Training (as Grafana merges the links)', async () => {
    const runColumns = (await panelVerdicts()).flatMap((v) =>
      v.links.filter((l) => l.field === 'run').map((l) => ({ where: v.where, urls: l.urls }))
    );
    // The Overview's runs table at least; every one of them carries exactly the one drill-down.
    expect(runColumns.map((c) => c.where)).toContain('rlhf-overview / Runs');
    for (const c of runColumns) {
      expect(c).toEqual({ where: c.where, urls: ['/d/rlhf-training?${__url_time_range}&var-run=${__value.raw}'] });
    }
  }, 180_000);

  it('each bar of "PSI by feature" and "KS statistic by feature" opens the histogram of its feature', async () => {
    const verdicts = await panelVerdicts();
    for (const title of ['PSI by feature', 'KS statistic by feature']) {
      const v = verdicts.find((x) => x.where === `rlhf-evaluation / ${title}`)!;
      expect(v.links.map((l) => l.field)).toEqual(['prompt_length', 'response_length', 'reward_score']);
      for (const l of v.links) {
        expect(l.urls).toEqual([
          '/d/rlhf-evaluation?${__url_time_range}&var-run=${run}&var-model=${model}&var-reference=${reference}' +
            `&var-current=\${current}&var-feature=${l.field}`,
        ]);
      }
    }
  }, 180_000);

  it('variable defaults exist in the catalog the variables query', async () => {
    const missing: string[] = [];
    for (const d of committed) {
      for (const v of d.templating?.list ?? []) {
        if (v.datasource?.uid !== RLHF_DS.uid) {
          continue;
        }
        const frame = (await query(d, withDefaults([{ ...(v.query as Target), refId: 'V' }], defaults(d)))).V
          ?.frames?.[0];
        // Grafana takes the `value` field, else `text` (events), then the variable's regex (several matches of
        // a /g regex in one text are several options, as Grafana's metricNamesToVariableValues makes them).
        const names = frame?.schema.fields.map((f) => f.name) ?? [];
        const column = names.includes('value') ? names.indexOf('value') : Math.max(0, names.indexOf('text'));
        let values = (frame?.data.values[column] ?? []).map(String);
        const re = /^\/(.*)\/(g?)$/.exec(v.regex ?? '');
        if (re?.[2]) {
          values = values.flatMap((x) => [...x.matchAll(new RegExp(re[1], 'g'))].map((m) => m[1]));
        }
        const current = v.current?.value;
        if (v.includeAll && Array.isArray(current) && current[0] === '$__all') {
          // All: the variable must have options to expand to.
          if (values.length === 0) {
            missing.push(`${d.uid} $${v.name} = All, but the query gives no option`);
          }
          if (v.name === 'host') {
            expect([...new Set(values)].sort()).toEqual(['node-0', 'node-1']); // the PPO run's nodes
          }
          continue;
        }
        if (!(Array.isArray(current) ? current : [current]).every((c) => c !== undefined && values.includes(c))) {
          missing.push(`${d.uid} $${v.name} = ${String(v.current?.value)} not in [${values.join(', ')}]`);
        }
      }
    }
    expect(missing).toEqual([]);
  }, 60_000);

  it('calibration with interval 6h gives a timeline frame (time, ece, brier, accuracy, count)', async () => {
    const evaluation = committed.find((d) => d.uid === 'rlhf-evaluation')!;
    const t = rlhfTargets(evaluation).find(({ target }) => target.type === 'calibration' && target.interval === '6h');
    expect(t).toBeDefined();
    const frames = (await query(evaluation, [{ ...t!.target, refId: 'C' }])).C?.frames ?? [];
    const timeline = frames.find((f) => f.schema.name === 'timeline');
    expect(timeline?.schema.fields.map((f) => f.name)).toEqual(['time', 'ece', 'brier', 'accuracy', 'count']);
    expect(timeline!.data.values[0].length).toBeGreaterThan(4); // seven days in 6 h windows
  }, 60_000);

  it('the PromQL of the dashboards and of the alert rules uses metric names the service exports on /metrics', async () => {
    const res = await fetch(`${service!.url}/metrics`);
    const exposition = await res.text();
    const exported = new Set(exposition.split('\n').flatMap((l) => (/^# TYPE (\S+)/.exec(l) ?? []).slice(1)));
    const promExprs = committed
      .flatMap(allPanels)
      .flatMap((p) =>
        (((p as Panel).targets ?? []) as Array<{ expr?: string }>).flatMap((t) => (t.expr ? [t.expr] : []))
      );
    expect(promExprs.length).toBeGreaterThan(0);
    promExprs.push(...ALERT_RULES.map((r) => r.signal));
    // `up` and `ALERTS` are Prometheus' own series.
    const names = promExprs
      .flatMap((e) => e.match(/\b[a-z_][a-z0-9_]*(?=[{\s)]|$)/gi) ?? [])
      .filter((n) => n.startsWith('rlhf_'));
    expect(new Set(names)).toEqual(
      new Set([
        'rlhf_drift_psi',
        'rlhf_deployment_error_rate',
        'rlhf_deployment_latency_p99_seconds',
        'rlhf_training_last_update_timestamp_seconds',
        'rlhf_training_progress_ratio',
      ])
    );
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  }, 30_000);
});
