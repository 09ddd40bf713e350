// Builds the app-pages host bundle with the dashboard host's webpack setup (e2e/dashboards/host/build.ts), another
// entry and output folder. Skipped when no host source changed since the last build.
import fs from 'fs';
import path from 'path';
import webpack from 'webpack';
import { hostConfig as dashboardsHostConfig, ROOT } from '../../dashboards/host/build';

export const HOST_OUT = path.join(ROOT, 'node_modules/.cache/rlhf-setup-host');
const SOURCES = [__dirname, path.join(ROOT, 'e2e/host'), path.join(ROOT, 'e2e/dashboards/host')];

function newestSource(): number {
  return SOURCES.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => /\.(tsx?|html)$/.test(f) && !/\.test\./.test(f))
      .map((f) => fs.statSync(path.join(dir, f)).mtimeMs)
  ).reduce((a, b) => Math.max(a, b), 0);
}

export async function buildSetupHost(force = false): Promise<string> {
  const out = path.join(HOST_OUT, 'host.js');
  if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs > newestSource()) {
    return HOST_OUT;
  }
  const base = dashboardsHostConfig();
  const config: webpack.Configuration = {
    ...base,
    entry: { host: path.join(__dirname, 'entry.tsx') },
    output: { ...base.output, path: HOST_OUT },
    cache: { type: 'filesystem', cacheDirectory: path.join(ROOT, 'node_modules/.cache/rlhf-setup-host-webpack') },
  };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config).run((err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)))
  );
  if (stats.hasErrors()) {
    throw new Error(`setup host build failed:\n${stats.toString('errors-only')}`);
  }
  fs.copyFileSync(path.join(__dirname, 'index.html'), path.join(HOST_OUT, 'index.html'));
  return HOST_OUT;
}

if (require.main === module) {
  buildSetupHost(process.argv.includes('--force')).then(
    (out) => console.log(`setup host built -> ${out}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
