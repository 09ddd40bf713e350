// Builds the dashboard host page bundle with webpack (the project's own toolchain): the host's React app plus
// every module Grafana shares with plugins. Output goes to node_modules/.cache so the tree stays clean; a
// build is skipped when no host source changed since the last one.
import fs from 'fs';
import path from 'path';
import webpack from 'webpack';

export const ROOT = path.resolve(__dirname, '../../..');
export const HOST_SRC = __dirname;
/** The panel host this page builds on (AMD loader and shared modules). */
export const PANEL_HOST_SRC = path.join(ROOT, 'e2e/host');
export const HOST_OUT = path.join(ROOT, 'node_modules/.cache/rlhf-dashboards-host');

function newestSource(): number {
  return [HOST_SRC, PANEL_HOST_SRC].reduce(
    (newest, dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => /\.(tsx?|html)$/.test(f) && !/\.test\./.test(f))
        .reduce((m, f) => Math.max(m, fs.statSync(path.join(dir, f)).mtimeMs), newest),
    0
  );
}

function upToDate(): boolean {
  const out = path.join(HOST_OUT, 'host.js');
  return fs.existsSync(out) && fs.statSync(out).mtimeMs > newestSource();
}

export function hostConfig(): webpack.Configuration {
  return {
    // Development mode skips the optimisation passes (a rebuild takes seconds, not minutes); React and friends
    // still get NODE_ENV=production so the page runs the code Grafana ships.
    mode: 'development',
    context: ROOT,
    entry: { host: path.join(HOST_SRC, 'entry.tsx') },
    // compareBeforeEmit off: host.js's mtime then always tells when the last build ran (see upToDate).
    output: { path: HOST_OUT, filename: '[name].js', publicPath: '/host/', clean: true, compareBeforeEmit: false },
    devtool: false,
    // One big bundle, not minified: it is read from localhost, and terser over @grafana/ui costs minutes.
    optimization: { minimize: false, splitChunks: false, nodeEnv: 'production' },
    performance: { hints: false },
    cache: { type: 'filesystem', cacheDirectory: path.join(ROOT, 'node_modules/.cache/rlhf-dashboards-host-webpack') },
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
    module: {
      rules: [
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true } } },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot)$/, type: 'asset/resource' },
      ],
    },
    stats: 'errors-warnings',
  };
}

/** Build the host bundle unless it is current; returns the output directory. */
export async function buildHost(force = false): Promise<string> {
  if (!force && upToDate()) {
    return HOST_OUT;
  }
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(hostConfig()).run((err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)))
  );
  if (stats.hasErrors()) {
    throw new Error(`host build failed:\n${stats.toString('errors-only')}`);
  }
  fs.copyFileSync(path.join(HOST_SRC, 'index.html'), path.join(HOST_OUT, 'index.html'));
  return HOST_OUT;
}

if (require.main === module) {
  const t0 = Date.now();
  buildHost(process.argv.includes('--force')).then(
    (out) => console.log(`host built in ${Date.now() - t0} ms -> ${out}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
