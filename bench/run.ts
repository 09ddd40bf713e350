import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// `npm run bench`: every bench/*.bench.ts in its own process (clean heap), each printing JSON lines.
const files = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
for (const f of files) {
  execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, f)], { stdio: 'inherit' });
}
