// Builds the editors host page: the dashboards host's webpack setup (e2e/dashboards/host/build.ts) with this
// entry; output in node_modules/.cache, skipped when no host source changed since the last build.
import fs from 'fs';
import path from 'path';
import webpack from 'webpack';
import { hostConfig, ROOT } from '../../dashboards/host/build';

const SOURCES = [__dirname, path.join(ROOT, 'e2e/host'), path.join(ROOT, 'e2e/dashboards/host')];
export const EDITORS_HOST_OUT = path.join(ROOT, 'node_modules/.cache/rlhf-editors-host');

function newestSource(): number {
  return SOURCES.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => /\.(tsx?|html)$/.test(f) && !/\.test\./.test(f))
      .map((f) => fs.statSync(path.join(dir, f)).mtimeMs)
  ).reduce((a, b) => Math.max(a, b), 0);
}

export async function buildEditorsHost(force = false): Promise<string> {
  const out = path.join(EDITORS_HOST_OUT, 'host.js');
  if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs > newestSource()) {
    return EDITORS_HOST_OUT;
  }
  const base = hostConfig();
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack({
      ...base,
      entry: { host: path.join(__dirname, 'entry.tsx') },
      output: { ...base.output, path: EDITORS_HOST_OUT },
      cache: { type: 'filesystem', cacheDirectory: path.join(ROOT, 'node_modules/.cache/rlhf-editors-host-webpack') },
    }).run((err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)))
  );
  if (stats.hasErrors()) {
    throw new Error(`editors host build failed:\n${stats.toString('errors-only')}`);
  }
  fs.copyFileSync(path.join(__dirname, 'index.html'), path.join(EDITORS_HOST_OUT, 'index.html'));
  return EDITORS_HOST_OUT;
}

if (require.main === module) {
  buildEditorsHost(process.argv.includes('--force')).then(
    (out) => console.log(`editors host built -> ${out}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
