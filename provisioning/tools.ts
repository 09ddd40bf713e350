// External command-line tools the provisioning tests run (promtool, docker-compose). Outside CI a missing
// tool skips its tests with a loud warning; with CI=true it is a failure, so CI cannot pass by skipping.
import { spawnSync } from 'node:child_process';

export interface Tool {
  bin: string;
  /** How to install it, for the warning. */
  install: string;
}

export const PROMTOOL: Tool = {
  bin: 'promtool',
  install: 'apt-get install -y prometheus (Debian) or a Prometheus release tarball',
};
export const DOCKER_COMPOSE: Tool = {
  bin: 'docker-compose',
  install: 'apt-get install -y --no-install-recommends docker-compose (Debian, compose 1.29)',
};

export function toolAvailable(t: Tool): boolean {
  const r = spawnSync(t.bin, ['--version'], { encoding: 'utf8' });
  if (!r.error && r.status === 0) {
    return true;
  }
  const message = `${t.bin} is not installed: install it with ${t.install}`;
  if (process.env.CI === 'true') {
    throw new Error(`${message} (CI=true: required)`);
  }
  console.warn(`\n${'!'.repeat(100)}\nSKIPPING the ${t.bin} tests: ${message}\n${'!'.repeat(100)}\n`);
  return false;
}

export function run(bin: string, args: string[], cwd?: string): { status: number | null; output: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
