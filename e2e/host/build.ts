// Build the host bundle with webpack's Node API (used by the e2e tests' beforeAll and runnable by hand:
// `npx tsx e2e/host/build.ts`). Skips the build when host.js is newer than the host sources.
import fs from 'fs';
import path from 'path';
import webpack from 'webpack';
import { HOST_DIR, HOST_DIST, hostConfig } from './webpack.config';

function mtime(p: string): number {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

export async function buildHost(force = false): Promise<string> {
  const out = path.join(HOST_DIST, 'host.js');
  const sources = ['index.tsx', 'index.html', 'webpack.config.ts', '../../src/panels/shared/optionEditors.ts'].map(
    (f) => mtime(path.join(HOST_DIR, f))
  );
  if (!force && mtime(out) > Math.max(...sources)) {
    return HOST_DIST;
  }
  await new Promise<void>((resolve, reject) => {
    webpack(hostConfig(), (err, stats) => {
      if (err || !stats || stats.hasErrors()) {
        reject(err ?? new Error(stats?.toString('errors-only') ?? 'webpack failed'));
        return;
      }
      resolve();
    });
  });
  fs.copyFileSync(path.join(HOST_DIR, 'index.html'), path.join(HOST_DIST, 'index.html'));
  return HOST_DIST;
}

if (require.main === module) {
  buildHost(process.argv.includes('--force')).then(
    (d) => console.log(`host built in ${d}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
