import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../server/src/service';

// The Python client's RLHFMonitorCallback: cost of on_log per logged step on the training thread, with the
// service up and down (goal < 1 ms). Needs .venv/ (scripts/python-venv.sh); the figures come from the script.
const ROOT = path.join(__dirname, '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

async function main() {
  if (!fs.existsSync(PYTHON)) {
    console.log(JSON.stringify({ bench: 'python_callback_on_log', skipped: 'no .venv/: run scripts/python-venv.sh' }));
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-bench-client-'));
  const svc = await startService({ db: path.join(dir, 'bench.db') });
  try {
    // Asynchronous child: the service in this process must keep answering while the bench runs.
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(PYTHON, [path.join(ROOT, 'clients/python/bench/callback_bench.py'), svc.url], {
        stdio: 'inherit',
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) {
      throw new Error(`callback_bench.py exited with ${code}`);
    }
  } finally {
    await svc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
