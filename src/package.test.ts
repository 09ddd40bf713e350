/** @jest-environment node */
// The rules of Grafana's plugin validator (@grafana/plugin-validator downloads a Go binary, so it cannot run
// offline here), checked on the built dist/ and on the zip that `npm run package` writes from it.
// Needs `npm run build` first; `npm test` runs it before jest.
import AdmZip from 'adm-zip';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const APP_ID = 'humain-rlhfmonitor-app';
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
// The validator's id rule: <org>-<name>-<type>.
const ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
// A Grafana version range such as ">=12.3.0" or "^12.0.0 || ^13.0.0".
const RANGE =
  /^\s*(?:(?:>=|<=|>|<|=|\^|~)?\s*\d+(?:\.(?:\d+|x|\*)){0,2}(?:-[0-9A-Za-z.-]+)?\s*)+(?:\|\|\s*(?:(?:>=|<=|>|<|=|\^|~)?\s*\d+(?:\.(?:\d+|x|\*)){0,2}(?:-[0-9A-Za-z.-]+)?\s*)+)*$/;

interface PluginJson {
  id: string;
  type: string;
  name: string;
  info: {
    author?: { name?: string };
    description?: string;
    version?: string;
    updated?: string;
    logos?: { small?: string; large?: string };
    screenshots?: Array<{ name?: string; path: string }>;
  };
  includes?: Array<{ type: string; name?: string; path?: string }>;
  dependencies?: { grafanaDependency?: string };
  routes?: Array<{ path: string; url?: string; headers?: Array<{ name: string; content: string }> }>;
}

function requireDist(): void {
  if (!fs.existsSync(path.join(DIST, 'plugin.json'))) {
    throw new Error(`${DIST} has no plugin.json: run npm run build first (npm test does it before jest)`);
  }
}

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? walk(path.join(dir, e.name), rel) : [rel];
  });
}

/** Every plugin.json in dist/, by its folder relative to dist ('' for the app). */
function plugins(): Array<{ dir: string; json: PluginJson; raw: string }> {
  requireDist();
  return walk(DIST)
    .filter((f) => path.posix.basename(f) === 'plugin.json')
    .map((f) => {
      const raw = fs.readFileSync(path.join(DIST, f), 'utf8');
      return { dir: path.posix.dirname(f) === '.' ? '' : path.posix.dirname(f), json: JSON.parse(raw), raw };
    });
}

const inDist = (dir: string, rel: string) => path.join(DIST, dir, rel);

test('dist/ exists (otherwise: run npm run build)', () => {
  expect(requireDist).not.toThrow();
});

test('the app and its nested plugins are all there', () => {
  const found = plugins()
    .map((p) => `${p.dir || '.'} ${p.json.id}`)
    .sort();
  expect(found).toEqual(expect.arrayContaining(['. humain-rlhfmonitor-app', 'datasource humain-rlhf-datasource']));
});

describe.each(['', 'datasource', 'panels/calibration', 'panels/drift', 'panels/pipeline'])(
  'plugin in dist/%s',
  (dir) => {
    const get = () => {
      const p = plugins().find((x) => x.dir === dir);
      if (!p) {
        throw new Error(`no plugin.json in dist/${dir}`);
      }
      return p;
    };

    test('plugin.json: required fields, id pattern, type matches id, version replaced', () => {
      const { json, raw } = get();
      expect(json.id).toMatch(ID);
      expect(json.id.split('-').pop()).toBe(json.type);
      expect(json.name).toBeTruthy();
      expect(json.info.author?.name).toBeTruthy();
      expect(json.info.description).toBeTruthy();
      expect(raw).not.toMatch(/%(VERSION|TODAY|PLUGIN_ID)%/);
      expect(json.info.version).toBe(VERSION);
      expect(json.info.version).toMatch(SEMVER);
      expect(json.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(json.dependencies?.grafanaDependency).toMatch(RANGE);
    });

    test('module.js with its source map', () => {
      expect(fs.statSync(inDist(dir, 'module.js')).size).toBeGreaterThan(100);
      expect(fs.existsSync(inDist(dir, 'module.js.map'))).toBe(true);
    });

    test('logos exist, are images, and SVGs carry no script', () => {
      const { logos } = get().json.info;
      expect(logos?.small).toBeTruthy();
      expect(logos?.large).toBeTruthy();
      for (const logo of [logos!.small!, logos!.large!]) {
        const file = inDist(dir, logo);
        expect(fs.existsSync(file)).toBe(true);
        expect(logo).toMatch(/\.(svg|png|jpe?g|gif)$/);
        if (logo.endsWith('.svg')) {
          const svg = fs.readFileSync(file, 'utf8');
          expect(svg).toMatch(/<svg[\s>]/);
          expect(svg).not.toMatch(/<script|\son\w+\s*=|javascript:/i);
        }
      }
    });

    test('listed screenshots exist', () => {
      for (const s of get().json.info.screenshots ?? []) {
        expect(fs.existsSync(inDist(dir, s.path))).toBe(true);
        expect(s.path).toMatch(/\.(png|jpe?g|gif|svg|webp)$/);
      }
    });
  }
);

test('the app ships README.md, LICENSE and CHANGELOG.md, and the README is not the template one', () => {
  requireDist();
  const readme = fs.readFileSync(path.join(DIST, 'README.md'), 'utf8');
  expect(readme).toMatch(/RLHF/);
  expect(readme).not.toMatch(/This template is a starting point|%PLUGIN_ID%/);
  expect(fs.readFileSync(path.join(DIST, 'LICENSE'), 'utf8')).toMatch(/Apache License/);
  expect(fs.existsSync(path.join(DIST, 'CHANGELOG.md'))).toBe(true);
});

test("the app's includes and the nested plugins in dist/ match one to one", () => {
  const all = plugins();
  const app = all.find((p) => p.dir === '')!.json;
  const included = (app.includes ?? [])
    .filter((i) => i.path?.endsWith('plugin.json'))
    .map((i) => {
      const dir = path.posix.dirname(i.path!);
      const nested = all.find((p) => p.dir === dir);
      expect(nested).toBeDefined();
      expect(nested!.json.type).toBe(i.type);
      return dir;
    })
    .sort();
  expect(included).toEqual(
    all
      .filter((p) => p.dir !== '')
      .map((p) => p.dir)
      .sort()
  );
});

test('the data source reaches the service only through its proxy route, key in secureJsonData', () => {
  const ds = plugins().find((p) => p.dir === 'datasource')!.json;
  expect(ds.routes).toEqual([
    {
      path: 'api',
      url: '{{ .JsonData.url }}',
      headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiKey }}' }],
    },
  ]);
});

test('npm run package writes <id>-<version>.zip with one top folder named by the plugin id', () => {
  requireDist();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-package-'));
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'package.js'), '--out', out], { stdio: 'pipe' });
    const file = path.join(out, `${APP_ID}-${VERSION}.zip`);
    const entries = new AdmZip(file).getEntries().filter((e) => !e.isDirectory);
    const names = entries.map((e) => e.entryName).sort();
    expect(new Set(names.map((n) => n.split('/')[0]))).toEqual(new Set([APP_ID]));
    expect(names).toEqual(
      walk(DIST)
        .map((f) => `${APP_ID}/${f}`)
        .sort()
    );
    for (const required of [
      'module.js',
      'plugin.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'img/logo.svg',
      'datasource/module.js',
      'datasource/plugin.json',
      'datasource/img/logo.svg',
    ]) {
      expect(names).toContain(`${APP_ID}/${required}`);
    }
    const zipped = entries
      .find((e) => e.entryName === `${APP_ID}/plugin.json`)!
      .getData()
      .toString('utf8');
    expect(zipped).toBe(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
