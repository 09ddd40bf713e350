import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const USAGE = `usage:
  rlhf-monitor import trainer-state FILE --run NAME [--url URL] [--key KEY]
  rlhf-monitor import ndjson FILE [--url URL] [--key KEY] [--batch 10000]
  rlhf-monitor serve                      (same as npm start; configure with RLHF_* variables)

--url defaults to $RLHF_URL or http://127.0.0.1:8400; --key defaults to $RLHF_API_KEY.`;

async function send(url: string, key: string | undefined, path: string, body: string, type: string) {
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body,
    });
  } catch (e) {
    throw new Error(`cannot reach ${url}: ${(e as Error).message}`);
  }
  const reply = (await res.json().catch(() => ({}))) as { accepted?: number; error?: string };
  if (!res.ok) {
    throw new Error(`${res.status}: ${reply.error ?? res.statusText}`);
  }
  return reply.accepted ?? 0;
}

/** NDJSON in batches: each batch is all-or-nothing on the server; a failing batch stops the upload. */
async function importNdjson(file: string, url: string, key: string | undefined, batchSize: number) {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let batch: string[] = [];
  let first = 1;
  let lineNo = 0;
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) {
      return;
    }
    try {
      total += await send(url, key, '/api/v1/ingest', batch.join('\n'), 'application/x-ndjson');
    } catch (e) {
      // Server line numbers are relative to the batch: translate them to the file.
      const msg = (e as Error).message.replace(/line (\d+)/, (_m, n) => `line ${first + Number(n) - 1}`);
      throw new Error(`${msg} (${total} records before line ${first} were stored)`);
    }
    first = lineNo + 1;
    batch = [];
  };
  for await (const line of lines) {
    lineNo++;
    batch.push(line);
    if (batch.length >= batchSize) {
      await flush();
    }
  }
  await flush();
  return total;
}

export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      run: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      batch: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const url = (values.url ?? process.env.RLHF_URL ?? 'http://127.0.0.1:8400').replace(/\/$/, '');
  const key = values.key ?? process.env.RLHF_API_KEY;
  const [cmd, what, file] = positionals;
  if (values.help || !cmd) {
    console.log(USAGE);
    return;
  }
  if (cmd === 'serve') {
    await import('../main');
    return;
  }
  if (cmd !== 'import' || !file || (what !== 'trainer-state' && what !== 'ndjson')) {
    throw new Error(USAGE);
  }
  if (!fs.existsSync(file)) {
    throw new Error(`no such file: ${file}`);
  }
  let accepted: number;
  if (what === 'trainer-state') {
    if (!values.run) {
      throw new Error('--run NAME is required for trainer-state imports');
    }
    const body = fs.readFileSync(file, 'utf8');
    accepted = await send(
      url,
      key,
      `/api/v1/import/trainer-state?run=${encodeURIComponent(values.run)}`,
      body,
      'application/json'
    );
  } else {
    const size = Number(values.batch ?? 10_000);
    if (!Number.isInteger(size) || size < 1) {
      throw new Error('--batch must be a positive integer');
    }
    accepted = await importNdjson(file, url, key, size);
  }
  console.log(`imported ${accepted} records from ${file} into ${url}`);
}

// `tsx server/src/cli/main.ts ...`; bin/rlhf-monitor.js calls main itself.
if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`rlhf-monitor: ${(e as Error).message}`);
    process.exit(1);
  });
}
