// A package per side: the service's package.json holds what the service imports, the root's (the Grafana plugin)
// holds none of it, and the contract stays pure (no Node APIs: the browser bundle imports it too).
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const pkg = (dir: string) => JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8'));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((e) => {
    const file = path.join(e.parentPath, e.name);
    return e.isFile() && /\.tsx?$/.test(e.name) && !/\.(test|fixtures)\.tsx?$/.test(e.name) && !file.includes('testing')
      ? [file]
      : [];
  });
}

/** Package names a folder's non-test sources import (`pg`, `@scope/name`), builtins excluded. */
function imported(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of sources(path.join(ROOT, dir))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from |import\(|require\()'([^'.][^']*)'/g)) {
      const spec = m[1];
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!spec.startsWith('node:') && !builtinModules.includes(name)) {
        names.add(name);
      }
    }
  }
  return names;
}

describe('workspace packages', () => {
  const server = pkg('server');
  const root = pkg('.');
  const contract = pkg('packages/contract');

  it('the service declares every package it imports', () => {
    const declared = new Set(Object.keys(server.dependencies));
    expect([...imported('server/src')].filter((n) => !declared.has(n))).toEqual([]);
  });

  it("the plugin's package.json carries no service dependency", () => {
    const service = ['fastify', 'pg', 'better-sqlite3', 'prom-client', 'ajv', 'piscina'];
    expect(Object.keys(root.dependencies).filter((d) => service.includes(d))).toEqual([]);
    expect(Object.keys(server.dependencies)).toEqual(expect.arrayContaining(service));
    expect(root.workspaces).toEqual(['packages/contract', 'server']);
  });

  it('the contract imports only its own dependencies, and no Node API', () => {
    expect([...imported('packages/contract/src')].sort()).toEqual(Object.keys(contract.dependencies).sort());
    for (const file of sources(path.join(ROOT, 'packages/contract/src'))) {
      expect([file, fs.readFileSync(file, 'utf8')]).not.toEqual([file, expect.stringMatching(/from 'node:|process\./)]);
    }
  });

  it('the plugin and the service import the contract by package name, not by path', () => {
    for (const dir of ['src', 'server/src', 'dashboards/src']) {
      for (const file of sources(path.join(ROOT, dir))) {
        expect([file, fs.readFileSync(file, 'utf8')]).not.toEqual([
          file,
          expect.stringMatching(/from '(\.\.\/)+(server\/src|packages\/contract)/),
        ]);
      }
    }
  });
});
