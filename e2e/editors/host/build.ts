// The editors host page: the dashboard host's webpack setup with this folder's entry (`npx tsx e2e/editors/host/build.ts`).
import { buildPageHost } from '../../dashboards/host/build';

export const buildEditorsHost = (force = false) => buildPageHost({ name: 'editors', src: __dirname }, force);

if (require.main === module) {
  buildEditorsHost(process.argv.includes('--force')).then(
    (out) => console.log(`editors host built -> ${out}`),
    (e) => {
      console.error(e);
      process.exit(1);
    }
  );
}
