/** @jest-environment node */
// Grafana provisioning, the compose stack and the Dockerfile, checked against each other and the plugin:
// YAML valid, data source / app ids = plugin.json ids, provider path = compose mount, alert rules on the
// provisioned Prometheus uid and identical to the Prometheus rules, compose file valid for docker-compose.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { expandEnv } from '../e2e/dashboards/provisioning';
import { DOCKER_COMPOSE, run, toolAvailable } from './tools';

const ROOT = join(__dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const yaml = <T>(p: string) => load(read(p)) as T;

/** Every plugin.json of the app (app, data source, panels), by type. */
function pluginJsons(): Array<{
  id: string;
  type: string;
  path: string;
  dependencies?: { grafanaDependency?: string };
}> {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory() && e.name !== 'node_modules') {
        walk(join(dir, e.name));
      } else if (e.name === 'plugin.json') {
        found.push(join(dir, e.name));
      }
    }
  };
  walk('src');
  return found.map((path) => ({ ...JSON.parse(read(path)), path }));
}

interface DataSources {
  apiVersion: number;
  datasources: Array<{
    name: string;
    uid: string;
    type: string;
    url?: string;
    jsonData?: Record<string, unknown>;
    secureJsonData?: Record<string, string>;
  }>;
}
interface Compose {
  services: Record<
    string,
    {
      image?: string;
      build?: { context: string; target?: string };
      environment?: Record<string, string>;
      volumes?: string[];
      command?: string[];
    }
  >;
}
interface RuleFile {
  apiVersion: number;
  groups: Array<{
    orgId: number;
    name: string;
    folder: string;
    interval: string;
    rules: Array<{
      uid: string;
      title: string;
      condition: string;
      for: string;
      noDataState: string;
      execErrState: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
      data: Array<{
        refId: string;
        datasourceUid: string;
        relativeTimeRange: { from: number; to: number };
        model: Record<string, any>;
      }>;
    }>;
  }>;
}
interface PromRules {
  groups: Array<{
    name: string;
    interval: string;
    rules: Array<{
      alert: string;
      expr: string;
      for: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    }>;
  }>;
}

/** The `>=x.y.z` or `>=x.y.z <a.b.c` constraints plugin.json files use (grafanaDependency); anything else is rejected. */
function satisfiesRange(version: string, constraint: string): boolean {
  const m = /^>=\s*(\d+\.\d+\.\d+)(?:\s+<\s*(\d+\.\d+\.\d+))?$/.exec(constraint.trim());
  if (!m) {
    throw new Error(`unsupported grafanaDependency "${constraint}" (expected >=x.y.z or >=x.y.z <a.b.c)`);
  }
  const cmp = (a: string, b: string) => {
    const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
    const i = x.findIndex((n, k) => n !== y[k]);
    return i < 0 ? 0 : x[i] - y[i];
  };
  return cmp(version, m[1]) >= 0 && (m[2] === undefined || cmp(version, m[2]) < 0);
}

const compose = yaml<Compose>('docker-compose.yml');
const grafana = compose.services.grafana;
const datasources = yaml<DataSources>('provisioning/datasources/datasources.yaml');
const plugins = pluginJsons();
const app = plugins.find((p) => p.type === 'app')!;
const datasourcePlugin = plugins.find((p) => p.type === 'datasource')!;

/** container path -> host path of a service's bind mounts. */
function mounts(service: { volumes?: string[] }): Map<string, string> {
  return new Map(
    (service.volumes ?? []).map((v) => {
      const [host, container] = v.split(':');
      return [container, host];
    })
  );
}

describe('provisioning files', () => {
  it('every provisioning file is valid YAML with apiVersion 1', () => {
    const files: string[] = [];
    for (const dir of ['datasources', 'plugins', 'dashboards', 'alerting']) {
      for (const f of readdirSync(join(ROOT, 'provisioning', dir))) {
        if (/\.ya?ml$/.test(f)) {
          files.push(`provisioning/${dir}/${f}`);
        }
      }
    }
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      expect(yaml<{ apiVersion: number }>(f).apiVersion).toBe(1);
    }
  });

  it('our data source: uid rlhf, the type of src/datasource/plugin.json, service URL, key from the environment', () => {
    expect(datasourcePlugin.id).toBe('humain-rlhf-datasource');
    const ours = datasources.datasources.find((d) => d.uid === 'rlhf');
    expect(ours).toMatchObject({
      type: datasourcePlugin.id,
      jsonData: { url: 'http://rlhf-monitor:8400' },
      secureJsonData: { apiKey: '$RLHF_API_KEY' },
    });
    // The proxy route of plugin.json reads exactly these settings.
    const route = JSON.stringify(JSON.parse(read(datasourcePlugin.path)).routes);
    expect(route).toContain('{{ .JsonData.url }}');
    expect(route).toContain('{{ .SecureJsonData.apiKey }}');
    // The compose service of that URL exists and listens on that port.
    expect(compose.services['rlhf-monitor'].environment?.RLHF_PORT).toBe('8400');
  });

  it('Prometheus data source: uid prometheus at the compose prometheus service', () => {
    expect(datasources.datasources.find((d) => d.uid === 'prometheus')).toMatchObject({
      type: 'prometheus',
      url: 'http://prometheus:9090',
    });
    expect(compose.services.prometheus.image).toMatch(/^prom\/prometheus:v3\.\d+\.\d+$/);
  });

  it('the app of src/plugin.json is enabled, and it carries the data source', () => {
    const apps = yaml<{ apps: Array<{ type: string; disabled: boolean }> }>('provisioning/plugins/apps.yaml').apps;
    expect(apps).toEqual([expect.objectContaining({ type: app.id, disabled: false })]);
    // Grafana writes this jsonData at every start: the configuration page tells from it that it is provisioned.
    expect(apps[0]).toMatchObject({ jsonData: { provisioned: true } });
    expect(app.id).toBe('humain-rlhfmonitor-app');
    expect(read('src/plugin.json')).toContain('"path": "datasource/plugin.json"');
  });

  it('the dashboard provider path is where compose mounts ./dashboards, and the home dashboard is the overview', () => {
    const providers = yaml<{
      providers: Array<{ folder: string; folderUid: string; type: string; options: { path: string } }>;
    }>('provisioning/dashboards/dashboards.yaml').providers;
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ folder: 'RLHF Pipeline', folderUid: 'rlhf-pipeline', type: 'file' });
    const m = mounts(grafana);
    expect(m.get(providers[0].options.path)).toBe('./dashboards');
    expect(m.get('/etc/grafana/provisioning')).toBe('./provisioning');
    const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(home.startsWith(`${providers[0].options.path}/`)).toBe(true);
    const homeFile = join(ROOT, 'dashboards', home.slice(providers[0].options.path.length + 1));
    expect(JSON.parse(readFileSync(homeFile, 'utf8')).uid).toBe('rlhf-overview');
  });
});

describe('alert rules', () => {
  const file = yaml<RuleFile>('provisioning/alerting/rules.yaml');
  const rules = file.groups.flatMap((g) => g.rules);
  const prom = yaml<PromRules>('prometheus/rules.yml').groups.flatMap((g) => g.rules);

  it('one group in a folder of its own (not the dashboards folder: the two provisioners may race), unique uids', () => {
    expect(file.groups).toHaveLength(1);
    expect(file.groups[0]).toMatchObject({ orgId: 1, folder: 'RLHF Pipeline alerts', interval: '1m' });
    const dashboardsFolder = yaml<{ providers: Array<{ folder: string }> }>('provisioning/dashboards/dashboards.yaml')
      .providers[0].folder;
    expect(file.groups[0].folder).not.toBe(dashboardsFolder);
    expect(rules.map((r) => r.uid).sort()).toEqual([
      'gpu-temperature-high',
      'gpu-xid-error',
      'rlhf-error-rate-high',
      'rlhf-latency-p99-slo',
      'rlhf-production-drift',
      'rlhf-service-down',
      'rlhf-training-stalled',
      'vllm-e2e-p99-slo',
      'vllm-error-ratio-high',
      'vllm-kv-cache-full',
      'vllm-queue-growing',
      'vllm-target-down',
      'vllm-ttft-p95-high',
    ]);
  });

  it.each(rules.map((r) => [r.uid, r] as const))(
    '%s: queries the provisioned Prometheus, reduces, thresholds',
    (_uid, r) => {
      const byRef = new Map(r.data.map((q) => [q.refId, q]));
      expect([...byRef.keys()]).toEqual(['A', 'B', 'C']);
      expect(r.condition).toBe('C');
      const a = byRef.get('A')!;
      expect(a.datasourceUid).toBe('prometheus');
      expect(datasources.datasources.map((d) => d.uid)).toContain(a.datasourceUid);
      expect(a.model).toMatchObject({
        refId: 'A',
        instant: true,
        datasource: { type: 'prometheus', uid: 'prometheus' },
      });
      expect(a.relativeTimeRange.from).toBeGreaterThan(0);
      expect(byRef.get('B')).toMatchObject({
        datasourceUid: '__expr__',
        model: { type: 'reduce', expression: 'A', reducer: 'last' },
      });
      expect(byRef.get('C')).toMatchObject({
        datasourceUid: '__expr__',
        model: { type: 'threshold', expression: 'B' },
      });
      expect(['gt', 'lt']).toContain(byRef.get('C')!.model.conditions[0].evaluator.type);
      expect(r.for).toMatch(/^\d+[smh]$/);
      expect(['OK', 'NoData', 'Alerting']).toContain(r.noDataState);
      expect(['OK', 'Error', 'Alerting', 'KeepLast']).toContain(r.execErrState);
      expect(Object.keys(r.annotations).sort()).toEqual(['description', 'runbook', 'runbook_url', 'summary']);
      expect(r.labels).toMatchObject({
        severity: expect.stringMatching(/^(critical|warning)$/),
        component: 'rlhf-monitor',
        rule_uid: r.uid,
      });
      // Grafana expands $NAME in provisioning values from its environment: templates must not use $labels/$value.
      expect(JSON.stringify(r.annotations)).not.toMatch(/\$[a-zA-Z]/);
    }
  );

  it.each(rules.map((r) => [r.uid, r] as const))('%s: the same condition as the Prometheus rule', (_uid, r) => {
    const twin = prom.find((p) => p.labels.rule_uid === r.uid);
    expect(twin).toBeDefined();
    const signal = r.data[0].model.expr as string;
    const { type, params } = r.data[2].model.conditions[0].evaluator as { type: 'gt' | 'lt'; params: number[] };
    const operand = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/.test(signal) ? signal : `(${signal})`;
    expect(twin!.expr).toBe(`${operand} ${type === 'gt' ? '>' : '<'} ${params[0]}`);
    expect(twin!.for).toBe(r.for);
    expect(twin!.labels).toEqual(r.labels);
    expect(twin!.annotations.summary).toBe(r.annotations.summary);
    // Grafana's copy is under its sub-path ({{ pathPrefix }}); the Prometheus copy is relative to Grafana's root.
    expect(`{{ pathPrefix }}${twin!.annotations.runbook_url}`).toBe(r.annotations.runbook_url);
  });

  it('each rule runbook_url opens an existing panel of an existing dashboard', () => {
    const dashboards = readdirSync(join(ROOT, 'dashboards'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(read(`dashboards/${f}`)) as { uid: string; panels: Array<{ id: number }> });
    for (const r of rules) {
      const m = /^\{\{ pathPrefix \}\}\/d\/([\w-]+)\?viewPanel=(\d+)$/.exec(r.annotations.runbook_url);
      expect(m).not.toBeNull();
      const d = dashboards.find((x) => x.uid === m![1]);
      expect(d?.panels.some((p) => p.id === Number(m![2]))).toBe(true);
    }
  });

  it('contact point and notification policy: every receiver used exists; the webhook URL comes from the environment', () => {
    const cps = yaml<{
      contactPoints: Array<{
        name: string;
        receivers: Array<{ uid: string; type: string; settings: { url: string } }>;
      }>;
    }>('provisioning/alerting/contact-points.yaml').contactPoints;
    expect(cps).toHaveLength(1);
    expect(cps[0].receivers[0]).toMatchObject({ type: 'webhook', settings: { url: '$ALERT_WEBHOOK_URL' } });
    const policies = yaml<{ policies: Array<{ receiver: string; routes?: Array<{ receiver: string }> }> }>(
      'provisioning/alerting/policies.yaml'
    ).policies;
    const names = new Set(cps.map((c) => c.name));
    const used = policies.flatMap((p) => [p.receiver, ...(p.routes ?? []).map((r) => r.receiver)]);
    expect(used.every((u) => names.has(u))).toBe(true);
    // Grafana has no ${VAR:-default} in provisioning files: compose always sets a URL, with a harmless default.
    expect(grafana.environment?.ALERT_WEBHOOK_URL).toMatch(/^\$\{ALERT_WEBHOOK_URL:-https?:\/\/\S+\}$/);
  });
});

describe('docker-compose.yml and Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)\s+AS\s+(\S+)/gim)].map((m) => ({ image: m[1], name: m[2] }));
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
  const image = (s: string) => s.replace(/\$\{(\w+)\}/g, (_m, a) => args[a] ?? _m);

  it('Grafana is allowed to load exactly our unsigned plugins (the app, its data source and panels)', () => {
    const allowed = (grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '').split(',').sort();
    expect(allowed).toEqual(plugins.map((p) => p.id).sort());
    expect(allowed).toHaveLength(5);
    expect(grafana.environment?.GF_USERS_DEFAULT_THEME).toBe('light');
  });

  it('the Grafana image is pinned to the version of the @grafana packages and satisfies grafanaDependency', () => {
    const grafanaImage = image(stages.find((s) => s.name === 'grafana')!.image);
    const version = /^grafana\/grafana:(\d+\.\d+\.\d+)$/.exec(grafanaImage)?.[1];
    expect(version).toBeDefined();
    expect(version).toBe(JSON.parse(read('node_modules/@grafana/data/package.json')).version);
    for (const p of plugins) {
      expect(satisfiesRange(version!, p.dependencies?.grafanaDependency ?? '')).toBe(true);
    }
  });

  it('compose builds the service and Grafana from this Dockerfile, and mounts the built plugin path Grafana reads', () => {
    const names = stages.map((s) => s.name);
    expect(compose.services['rlhf-monitor'].build).toEqual({ context: '.', target: 'service' });
    expect(grafana.build).toEqual({ context: '.', target: 'grafana' });
    expect(names).toEqual(expect.arrayContaining(['deps', 'build', 'grafana', 'service']));
    expect(names[names.length - 1]).toBe('service'); // `docker build .` builds the service
    expect(dockerfile).toContain(`COPY --from=build /app/dist ${grafana.environment?.GF_PATHS_PLUGINS}/${app.id}`);
  });

  it('the service image: node 20 slim, npm ci from the lockfile, non-root, healthcheck, /data volume', () => {
    expect(image(stages.find((s) => s.name === 'service')!.image)).toBe('node:20-bookworm-slim');
    expect(dockerfile).toMatch(/npm ci\b/);
    const service = dockerfile.slice(dockerfile.search(/^FROM .* AS service/m));
    expect(service).toMatch(/^USER node$/m);
    expect(service).toMatch(/^HEALTHCHECK .*\/api\/v1\/health/ms);
    expect(service).toContain('VOLUME ["/data"]');
    expect(compose.services['rlhf-monitor'].environment).toMatchObject({
      RLHF_HOST: '0.0.0.0',
      RLHF_DB: '/data/rlhf.db',
    });
    expect(compose.services['rlhf-monitor'].environment?.RLHF_API_KEY).toBeTruthy();
  });

  it('the service image installs only the service workspace and copies what it imports', () => {
    // Which packages server/src imports is held to server/package.json by server/src/dependencies.test.ts.
    const server = JSON.parse(read('server/package.json'));
    expect(server.dependencies.tsx).toBeDefined(); // the image runs `node --import tsx server/src/main.ts`
    expect(server.dependencies['@rlhf-monitor/contract']).toBeDefined();
    expect(dockerfile).toContain('--workspace @rlhf-monitor/server --include-workspace-root=false');
    expect(dockerfile).toMatch(/^COPY packages\/contract \.\/packages\/contract$/m);
    expect(dockerfile).toMatch(/^COPY server \.\/server$/m);
    // The image copies server/ and the contract only: nothing may reach into src/, dashboards/ or e2e/.
    const walk = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? walk(join(dir, e.name))
          : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)
            ? [join(dir, e.name)]
            : []
      );
    for (const f of [...walk('server/src'), ...walk('packages/contract/src')]) {
      expect([f, read(f)]).not.toEqual([f, expect.stringMatching(/from '(\.\.\/)+(src|dashboards|e2e|scripts)\//)]);
    }
  });

  it('the Dockerfile fetches nothing outside the npm registry, Debian and Docker Hub images', () => {
    const runs = [...dockerfile.matchAll(/^RUN\s+([\s\S]*?)(?<!\\)$/gm)].map((m) => m[1]);
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) {
      expect(r).not.toMatch(/\b(curl|wget|git clone)\b|https?:\/\//);
    }
    expect(dockerfile).not.toMatch(/^ADD\s+https?:/m);
    // better-sqlite3 is compiled from source against the image's own Node headers (no GitHub download).
    expect(dockerfile).toContain('npm rebuild better-sqlite3 --build-from-source');
    expect(dockerfile).toContain('npm_config_nodedir=/usr/local');
    // Workspace packages resolve to their folders; everything else comes from the registry.
    expect(read('package-lock.json')).not.toMatch(
      /"resolved": "(?!https:\/\/registry\.npmjs\.org\/|packages\/contract"|server")/
    );
  });

  it('every path the Dockerfile copies from the build context exists', () => {
    const copies = [...dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => m[1].split(/\s+/).slice(0, -1));
    expect(copies.length).toBeGreaterThan(3);
    for (const src of copies.flat()) {
      const path = src.replace(/\/\*\.json$/, '');
      expect([src, existsSync(join(ROOT, path))]).toEqual([src, true]);
    }
  });

  it('the build context keeps everything the image build copies, and .dockerignore drops local builds', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of [
      'src',
      'server',
      '.config',
      'provisioning',
      'dashboards',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
    ]) {
      expect(existsSync(join(ROOT, needed))).toBe(true);
      expect(ignored).not.toContain(needed);
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git']));
  });

  it('Prometheus scrapes the service /metrics every 15 s with the key compose gives it', () => {
    const config = yaml<{
      rule_files: string[];
      scrape_configs: Array<{
        job_name: string;
        scrape_interval?: string;
        metrics_path?: string;
        authorization?: { credentials_file: string };
        static_configs: Array<{ targets: string[] }>;
      }>;
    }>('prometheus/prometheus.yml');
    const job = config.scrape_configs.find((j) => j.job_name === 'rlhf-monitor')!;
    expect(job).toMatchObject({
      scrape_interval: '15s',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['rlhf-monitor:8400'] }],
    });
    const prometheus = compose.services.prometheus;
    expect(prometheus.command?.join(' ')).toContain(`> ${job.authorization!.credentials_file}`);
    expect(prometheus.environment?.RLHF_API_KEY).toBe(compose.services['rlhf-monitor'].environment?.RLHF_API_KEY);
    const m = mounts(prometheus);
    expect(m.get(config.rule_files[0])).toBe('./prometheus/rules.yml');
    expect(m.get('/etc/prometheus/prometheus.yml')).toBe('./prometheus/prometheus.yml');
  });

  it('the grafana image alone (no compose, variables unset) provisions a valid contact point and a working key', () => {
    // What Grafana's provisioning sees in the image started with `docker run` and no -e: the Dockerfile's ENV.
    const stage = dockerfile.slice(
      dockerfile.search(/^FROM .* AS grafana/m),
      dockerfile.search(/^FROM .* AS service/m)
    );
    const env: Record<string, string> = {};
    for (const m of stage.matchAll(/^ENV\s+([\s\S]*?)(?<!\\)$/gm)) {
      for (const kv of m[1].replace(/\\\n/g, ' ').matchAll(/(\w+)=(\S+)/g)) {
        env[kv[1]] = kv[2];
      }
    }
    const expanded = (p: string) => load(expandEnv(read(p), env)) as any;
    const receiver = expanded('provisioning/alerting/contact-points.yaml').contactPoints[0].receivers[0];
    // Grafana's webhook notifier rejects an empty or relative URL, and alerting provisioning errors stop Grafana.
    expect(new URL(receiver.settings.url).protocol).toMatch(/^https?:$/);
    expect(receiver.settings.url).toBe(
      grafana.environment?.ALERT_WEBHOOK_URL?.replace(/^\$\{ALERT_WEBHOOK_URL:-(.*)\}$/, '$1')
    );
    // The data source key is the compose service's default, so queries are not refused with 401.
    const ds = expanded('provisioning/datasources/datasources.yaml').datasources.find((d: any) => d.uid === 'rlhf');
    expect(ds.secureJsonData.apiKey).not.toBe('');
    expect(`\${RLHF_API_KEY:-${ds.secureJsonData.apiKey}}`).toBe(
      compose.services['rlhf-monitor'].environment?.RLHF_API_KEY
    );
    // Without those ENV lines the same files give what made the image exit at start: an empty URL and key.
    const bare = load(expandEnv(read('provisioning/alerting/contact-points.yaml'), {})) as any;
    expect(bare.contactPoints[0].receivers[0].settings.url ?? '').toBe('');
  });

  it('Prometheus scrapes the demo vLLM and dcgm-exporter endpoints with the same key as /metrics', () => {
    const config = yaml<{
      scrape_configs: Array<{ job_name: string; metrics_path?: string; authorization?: { credentials_file: string } }>;
    }>('prometheus/prometheus.yml');
    const jobs = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j]));
    expect(jobs.vllm).toMatchObject({ metrics_path: '/demo/vllm/metrics' });
    expect(jobs.dcgm).toMatchObject({ metrics_path: '/demo/dcgm/metrics' });
    for (const j of [jobs.vllm, jobs.dcgm]) {
      expect(j.authorization).toEqual(jobs['rlhf-monitor'].authorization);
    }
  });

  const composeAvailable = toolAvailable(DOCKER_COMPOSE);
  (composeAvailable ? it : it.skip)('docker-compose (1.29, offline) validates docker-compose.yml', () => {
    const r = run('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), 'config', '--quiet']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});
