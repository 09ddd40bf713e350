#!/usr/bin/env node
// `npm run package`: zip the built plugin (dist/) the way Grafana's plugin validator and `grafana cli`
// expect it: one top-level folder named by the plugin id, holding module.js, plugin.json, README.md, LICENSE,
// CHANGELOG.md, img/ and the nested plugins (datasource/, panels/...). Builds nothing: run `npm run build` first.
//
//   node scripts/package.js [--out <dir>]     writes <dir>/humain-rlhfmonitor-app-<version>.zip (default: repo root)
'use strict';

const AdmZip = require('adm-zip');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function outDir(argv) {
  const i = argv.indexOf('--out');
  return i >= 0 && argv[i + 1] ? path.resolve(argv[i + 1]) : ROOT;
}

/** Every file under dir, as paths relative to it with forward slashes, sorted (a reproducible archive). */
function listFiles(dir, prefix = '') {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      return e.isDirectory() ? listFiles(path.join(dir, e.name), rel) : [rel];
    })
    .sort();
}

function main() {
  const pluginJsonPath = path.join(DIST, 'plugin.json');
  if (!fs.existsSync(pluginJsonPath) || !fs.existsSync(path.join(DIST, 'module.js'))) {
    fail('dist/ has no built plugin (plugin.json + module.js): run npm run build first');
  }
  const plugin = JSON.parse(fs.readFileSync(pluginJsonPath, 'utf8'));
  const version = plugin.info && plugin.info.version;
  if (!plugin.id || !version || /%[A-Z_]+%/.test(version)) {
    fail('dist/plugin.json has no id or an unreplaced version: run npm run build first');
  }

  const zip = new AdmZip();
  const files = listFiles(DIST);
  for (const rel of files) {
    const folder = path.posix.dirname(rel);
    zip.addLocalFile(path.join(DIST, rel), folder === '.' ? plugin.id : `${plugin.id}/${folder}`);
  }
  const out = outDir(process.argv.slice(2));
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${plugin.id}-${version}.zip`);
  zip.writeZip(file);

  const sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  console.log(`${path.relative(process.cwd(), file) || file}: ${files.length} files, ${fs.statSync(file).size} bytes`);
  console.log(`sha256 ${sha256}`);
}

main();
