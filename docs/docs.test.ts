// The repository is self-contained: a user's clone has no ../shared, so nothing may point there, and every
// relative link in the docs must name a file that is in the repository.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
})
  .split('\n')
  .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
const text = tracked.filter(
  (f) => /\.(md|ts|tsx|js|mjs|json|ya?ml|py|sh|toml|txt)$/.test(f) && f !== 'package-lock.json'
);

describe('self-contained docs', () => {
  // What ../shared holds (src/panels/shared is our own folder).
  it('nothing in the repository points to ../shared', () => {
    const offenders = text.filter((f) =>
      /shared\/(DESIGN\.md|SETUP-NOTES\.md|data\/|hooks\/)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8'))
    );
    expect(offenders.filter((f) => f !== 'docs/docs.test.ts')).toEqual([]);
  });

  it('every relative link in a markdown file resolves to a file in the repository', () => {
    const broken: string[] = [];
    for (const f of tracked.filter((t) => t.endsWith('.md'))) {
      for (const m of fs.readFileSync(path.join(ROOT, f), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/i.test(target)) {
          continue;
        }
        if (!fs.existsSync(path.join(ROOT, path.dirname(f), target))) {
          broken.push(`${f}: ${m[1]}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
