// Builds the app-page host (entry.tsx) with the dashboard host's webpack configuration: the same shared modules
// and loader, another entry and output folder. Skipped when no host source changed since the last build.
import fs from 'fs';
import path from 'path';
import webpack from 'webpack';
import { hostConfig, PANEL_HOST_SRC, ROOT } from '../../dashboards/host/build';

export const APP_HOST_SRC = __dirname;
export const APP_HOST_OUT = path.join(ROOT, 'node_modules/.cache/rlhf-app-host');
/** Where the harness serves the bundle (index.html loads it from here). */
export const APP_HOST_URL = '/app-host/';

function newestSource(): number {
  const dirs = [APP_HOST_SRC, PANEL_HOST_SRC, path.join(ROOT, 'e2e/dashboards/host')];
  return dirs.reduce(
    (newest, dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => /\.(tsx?|html)$/.test(f) && !/\.test\./.test(f))
        .reduce((m, f) => Math.max(m, fs.statSync(path.join(dir, f)).mtimeMs), newest),
    0
  );
}

export async function buildAppHost(force = false): Promise<string> {
  const out = path.join(APP_HOST_OUT, 'host.js');
  if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs > newestSource()) {
    return APP_HOST_OUT;
  }
  const base = hostConfig();
  const config: webpack.Configuration = {
    ...base,
    entry: { host: path.join(APP_HOST_SRC, 'entry.tsx') },
    output: { ...base.output, path: APP_HOST_OUT, publicPath: APP_HOST_URL },
    cache: { type: 'filesystem', cacheDirectory: path.join(ROOT, 'node_modules/.cache/rlhf-app-host-webpack') },
  };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config).run((err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)))
  );
  if (stats.hasErrors()) {
    throw new Error(`app host build failed:\n${stats.toString('errors-only')}`);
  }
  fs.copyFileSync(path.join(APP_HOST_SRC, 'index.html'), path.join(APP_HOST_OUT, 'index.html'));
  return APP_HOST_OUT;
}

if (require.main === module) {
  const t0 = Date.now();
  buildAppHost(process.argv.includes('--force')).then(
    (o) => console.log(`app host built in ${Date.now() - t0} ms -> ${o}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
