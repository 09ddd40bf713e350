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

/** Newest mtime of the host sources in `dirs` (tests excluded): a build older than this is stale. */
function newestSource(dirs: string[]): number {
  return dirs.reduce(
    (newest, dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => /\.(tsx?|html)$/.test(f) && !/\.test\./.test(f))
        .reduce((m, f) => Math.max(m, fs.statSync(path.join(dir, f)).mtimeMs), newest),
    0
  );
}

export function hostConfig(): webpack.Configuration {
  return {
    // Development mode skips the optimisation passes (a rebuild takes seconds, not minutes); React and friends
    // still get NODE_ENV=production so the page runs the code Grafana ships.
    mode: 'development',
    context: ROOT,
    // compareBeforeEmit off: host.js's mtime then always tells when the last build ran (see buildPageHost).
    output: { filename: '[name].js', clean: true, compareBeforeEmit: false },
    devtool: false,
    // One big bundle, not minified: it is read from localhost, and terser over @grafana/ui costs minutes.
    optimization: { minimize: false, splitChunks: false, nodeEnv: 'production' },
    performance: { hints: false },
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

/** A page built on this host's webpack setup from `entry.tsx` in `src`. */
export interface PageHost {
  /** Names the page and its output and cache folders under node_modules/.cache. */
  name: string;
  src: string;
  /** Where the harness serves the bundle (default '/host/'). */
  publicPath?: string;
  /** CSS declarations for the page's root element (padding, width). */
  rootStyle?: string;
}

/**
 * The page: what Grafana's index.html gives @grafana/runtime's config before any plugin code runs. The URL picks
 * the theme (`?theme=dark`), the signed-in role (`?role=Viewer`) and login (`?login=`; tests judge as several people).
 */
function indexHtml(page: PageHost): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>RLHF ${page.name} host</title>
    <style>
      body { margin: 0; }
      #root { ${page.rootStyle ?? ''} }
    </style>
    <script>
      (function () {
        var q = new URLSearchParams(location.search);
        var role = q.get('role') || 'Admin';
        window.grafanaBootData = {
          settings: { buildInfo: { version: '12.4.10' }, featureToggles: {}, appSubUrl: '' },
          user: {
            login: q.get('login') || 'admin',
            orgRole: role,
            isGrafanaAdmin: role === 'Admin',
            lightTheme: q.get('theme') !== 'dark',
            timezone: 'utc',
          },
          navTree: [],
        };
      })();
    </script>
  </head>
  <body>
    <main id="root"></main>
    <script src="${page.publicPath ?? '/host/'}host.js"></script>
  </body>
</html>
`;
}

export const hostOut = (name: string) => path.join(ROOT, `node_modules/.cache/rlhf-${name}-host`);

/**
 * Build a page host unless it is newer than its sources (its own folder, the panel host and this one, this file
 * included); returns the output directory.
 */
export async function buildPageHost(page: PageHost, force = false): Promise<string> {
  const out = hostOut(page.name);
  const bundle = path.join(out, 'host.js');
  const sources = [...new Set([page.src, PANEL_HOST_SRC, HOST_SRC])];
  if (!force && fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs > newestSource(sources)) {
    return out;
  }
  const base = hostConfig();
  const config: webpack.Configuration = {
    ...base,
    entry: { host: path.join(page.src, 'entry.tsx') },
    output: { ...base.output, path: out, publicPath: page.publicPath ?? '/host/' },
    cache: { type: 'filesystem', cacheDirectory: `${out}-webpack` },
  };
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(config).run((err, s) => (err || !s ? reject(err ?? new Error('no stats')) : resolve(s)))
  );
  if (stats.hasErrors()) {
    throw new Error(`${page.name} host build failed:\n${stats.toString('errors-only')}`);
  }
  fs.writeFileSync(path.join(out, 'index.html'), indexHtml(page));
  return out;
}

/** The dashboards host page. */
export const buildHost = (force = false) => buildPageHost({ name: 'dashboards', src: HOST_SRC }, force);

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
