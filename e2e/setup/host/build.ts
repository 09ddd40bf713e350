// The app-pages host page: the dashboard host's webpack setup with this folder's entry (`npx tsx e2e/setup/host/build.ts`).
import { buildPageHost } from '../../dashboards/host/build';

export const buildSetupHost = (force = false) =>
  buildPageHost({ name: 'setup', src: __dirname, rootStyle: 'padding: 24px 32px; max-width: 1100px;' }, force);

if (require.main === module) {
  buildSetupHost(process.argv.includes('--force')).then(
    (out) => console.log(`setup host built -> ${out}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
