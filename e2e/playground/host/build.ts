// The Playground host page: the dashboard host's webpack setup with this folder's entry, served under its own path
// (`npx tsx e2e/playground/host/build.ts`).
import { buildPageHost } from '../../dashboards/host/build';

/** Where the harness serves the bundle (index.html loads it from here). */
export const APP_HOST_URL = '/app-host/';

export const buildAppHost = (force = false) =>
  buildPageHost({ name: 'app', src: __dirname, publicPath: APP_HOST_URL, rootStyle: 'padding: 16px 24px;' }, force);

if (require.main === module) {
  buildAppHost(process.argv.includes('--force')).then(
    (out) => console.log(`app host built -> ${out}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
