// Writes the provisioned dashboards (dashboards/*.json) and the alert rule files from the TypeScript sources.
// Run: npx tsx dashboards/src/generate.ts   (dashboards.test.ts fails when the committed files are stale)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dump } from 'js-yaml';
import { format, resolveConfig } from 'prettier';
import { generatedFiles, type GeneratedFile } from './all';

export const ROOT = resolve(__dirname, '..', '..');

/** The file text exactly as committed: JSON / YAML, formatted with the repository's Prettier config. */
export async function render(f: GeneratedFile): Promise<string> {
  const path = join(ROOT, f.path);
  const raw =
    f.format === 'json'
      ? JSON.stringify(f.content, null, 2)
      : `${(f.header ?? '')
          .split('\n')
          .map((l) => `# ${l}`)
          .join('\n')}\n${dump(f.content, { lineWidth: -1, noRefs: true, quotingType: "'" })}`;
  const options = (await resolveConfig(path)) ?? {};
  return format(raw, { ...options, filepath: path });
}

async function main() {
  for (const f of generatedFiles()) {
    const path = join(ROOT, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await render(f));
    console.log(`wrote ${f.path}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
