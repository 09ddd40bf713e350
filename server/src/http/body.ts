// Request bodies: only JSON and NDJSON (415 otherwise, so a browser's preflight-free `text/plain` POST from any web
// page is refused), gzip decoded with a bound on the decompressed size, NDJSON parsed line by line as it
// arrives, nesting depth bounded, and uploads admitted a few at a time with the bytes of large bodies in flight
// bounded (issue 12, defects 3, 8, 10, 11 and 12).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { ServiceLimits } from '../config';
import { ValidationError } from '../ingest/ingest';
import { parseBody, type ParsedBody } from '../ingest/ndjson';
import { storable } from '../records/validate';

type BodyLimits = Pick<
  ServiceLimits,
  | 'bodyBytes'
  | 'queryBodyBytes'
  | 'inflightBodyBytes'
  | 'largeBodyBytes'
  | 'inflightWaitMs'
  | 'maxDepth'
  | 'concurrentUploads'
>;

/** A client error with its HTTP status (the app's error handler answers 4xx with the message). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string
  ) {
    super(message);
  }
}

export const JSON_TYPES = ['application/json'];
export const NDJSON_TYPES = [
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
];
const MB = 1024 * 1024;
const mb = (n: number) => `${Math.round((n / MB) * 10) / 10} MB`;

/**
 * Throw when a parsed JSON value nests deeper than `max` (iterative: deep input cannot overflow the stack), or,
 * with `strings`, holds a string (or key) no store can hold; records check their own fields, naming them.
 */
export function checkDepth(value: unknown, max: number, line?: number, strings = false): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v === 'string') {
      if (!storable(v)) {
        throw new ValidationError('a string holds a NUL character or a lone UTF-16 surrogate: send valid Unicode');
      }
      continue;
    }
    if (typeof v !== 'object' || v === null) {
      continue;
    }
    if (d > max) {
      throw new ValidationError(
        `${line ? `line ${line}: ` : ''}JSON nested deeper than ${max} levels; records and queries are flat objects`,
        line
      );
    }
    for (const c of Array.isArray(v) ? v : Object.values(v)) {
      if ((typeof c === 'object' && c !== null) || (strings && typeof c === 'string')) {
        stack.push([c, d + 1]);
      }
    }
    if (strings && !Array.isArray(v)) {
      stack.push(...Object.keys(v).map((k): [unknown, number] => [k, d]));
    }
  }
}

/**
 * Admission by units (bytes of large bodies, upload or query slots): waits for room, in arrival order, and
 * answers 429 after `waitMs`. Bounds the memory of concurrent large bodies, and how many uploads are parsed and
 * validated at once, so the event loop keeps turning for health checks and queries while 40 clients ingest.
 */
export class Admission {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; go: () => void }> = [];

  constructor(
    private readonly capacity: number,
    private readonly full: string
  ) {}

  async acquire(bytes: number, waitMs: number): Promise<() => void> {
    const want = Math.min(bytes, this.capacity);
    if (this.used + want > this.capacity || this.waiting.length) {
      await new Promise<void>((resolve, reject) => {
        const entry = { bytes: want, go: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(new HttpError(429, this.full));
        }, waitMs);
        this.waiting.push(entry);
      });
    } else {
      this.used += want;
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.used -= want;
      while (this.waiting.length && this.used + this.waiting[0].bytes <= this.capacity) {
        const next = this.waiting.shift()!;
        this.used += next.bytes;
        next.go();
      }
    };
  }
}

/** The body as a stream of decoded bytes: gzip inflated, sizes bounded; other encodings 415. */
function decodedStream(req: IncomingMessage, limit: number): Readable {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .toLowerCase()
    .trim();
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw new HttpError(413, tooLarge(limit));
  }
  if (encoding === 'identity' || encoding === '') {
    return req;
  }
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    // maxOutputLength is not enforced on streams; `consume` counts the output and stops it past the limit.
    return req.pipe(createGunzip());
  }
  throw new HttpError(415, `unsupported Content-Encoding "${encoding}": send the body as is or gzip-compressed`);
}

const tooLarge = (limit: number) =>
  `body larger than ${mb(limit)} (after decompression): split it into smaller batches (e.g. 10,000 records each)`;

/** Read a stream chunk by chunk, counting decoded bytes; on any error the rest is drained, then rejected. */
function consume(
  stream: Readable,
  req: IncomingMessage,
  limit: number,
  onText: (text: string) => void,
  onEnd: () => void
): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let bytes = 0;
    let failed: Error | null = null;
    const fail = (e: Error) => {
      if (failed) {
        return;
      }
      failed = e;
      // Keep reading (and dropping) what the client sends, so it gets our answer and not a reset connection;
      // a gzip stream is stopped rather than inflated further (a bomb would keep a core busy).
      stream.removeAllListeners('data');
      if (stream !== req) {
        req.unpipe();
        stream.on('error', () => undefined).destroy();
      }
      req.resume();
      reject(e);
    };
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        return fail(new HttpError(413, tooLarge(limit)));
      }
      try {
        onText(decoder.write(chunk));
      } catch (e) {
        fail(e as Error);
      }
    });
    stream.on('error', (e) =>
      failed ? undefined : fail(new HttpError(400, `body could not be read: ${(e as Error).message}`))
    );
    stream.on('end', () => {
      if (failed) {
        return;
      }
      try {
        onText(decoder.end());
        onEnd();
        resolve();
      } catch (e) {
        fail(e as Error);
      }
    });
  });
}

/** NDJSON records, parsed a line at a time as the body arrives (no copy of the whole body as one string). */
async function streamNdjson(req: IncomingMessage, o: BodyLimits): Promise<ParsedBody> {
  const records: unknown[] = [];
  const lines: number[] = [];
  let pending = '';
  let lineNo = 0;
  const line = (text: string) => {
    lineNo++;
    const t = text.trim();
    if (t === '') {
      return;
    }
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      throw new ValidationError(`line ${lineNo}: not valid JSON; each NDJSON line must be one JSON object`, lineNo);
    }
    checkDepth(v, o.maxDepth, lineNo);
    records.push(v);
    lines.push(lineNo);
  };
  await consume(
    decodedStream(req, o.bodyBytes),
    req,
    o.bodyBytes,
    (text) => {
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        line(pending + text.slice(start, nl));
        pending = '';
        start = nl + 1;
      }
      pending += text.slice(start);
    },
    () => {
      if (pending !== '') {
        line(pending);
      }
    }
  );
  return { records, lines };
}

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const parts: string[] = [];
  await consume(
    decodedStream(req, limit),
    req,
    limit,
    (t) => parts.push(t),
    () => undefined
  );
  return parts.join('');
}

const isUpload = (url: string) => url.startsWith('/api/v1/ingest') || url.startsWith('/api/v1/import');

/**
 * Replace Fastify's parsers: ingest and import bodies arrive as `ParsedBody` (ingest) or text (importers),
 * query bodies as parsed JSON. Anything but JSON/NDJSON gets 415 from Fastify itself.
 */
export function bodyParsers(app: FastifyInstance, o: BodyLimits): void {
  const bytes = new Admission(
    o.inflightBodyBytes,
    `too many large bodies in flight (${mb(o.inflightBodyBytes)} at once, inflightBodyBytes): retry in a few seconds, or send smaller batches`
  );
  const slots = new Admission(
    o.concurrentUploads,
    `${o.concurrentUploads} uploads are being processed and more wait (concurrentUploads): retry in a few seconds`
  );

  // Held from admission until the response is sent or the client goes away (the records live until then).
  const held = new WeakMap<FastifyRequest, Array<() => void>>();
  const release = async (req: FastifyRequest) => {
    held.get(req)?.forEach((r) => r());
    held.delete(req);
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  /** An upload slot, and room for a large body. */
  const admit = async (req: FastifyRequest) => {
    const releases: Array<() => void> = [];
    held.set(req, releases);
    releases.push(await slots.acquire(1, o.inflightWaitMs));
    // Without a length, or compressed, a body may decode to the full limit.
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    const plain = Number.isFinite(declared) && req.headers['content-encoding'] === undefined;
    if (!plain || declared >= o.largeBodyBytes) {
      releases.push(await bytes.acquire(plain ? declared : o.bodyBytes, o.inflightWaitMs));
    }
    if (req.raw.destroyed) {
      // The client left while waiting (onRequestAbort may have run already): give the room back now.
      releases.forEach((r) => r());
      throw new HttpError(400, 'the client closed the request');
    }
  };

  /** A parser that, refusing a body before reading it, still drains it: the client gets the answer, not a reset. */
  const draining =
    (parse: (req: FastifyRequest, payload: IncomingMessage) => Promise<unknown>) =>
    async (req: FastifyRequest, payload: IncomingMessage) => {
      try {
        return await parse(req, payload);
      } catch (e) {
        payload.resume();
        throw e;
      }
    };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    NDJSON_TYPES,
    draining(async (req, payload) => {
      if (!req.url.startsWith('/api/v1/ingest')) {
        throw new HttpError(415, `unsupported Content-Type ${req.headers['content-type']}: send application/json`);
      }
      await admit(req);
      return streamNdjson(payload, o);
    })
  );
  app.addContentTypeParser(
    JSON_TYPES,
    draining(async (req, payload) => {
      if (!isUpload(req.url)) {
        const text = await readText(payload, o.queryBodyBytes);
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch (e) {
          throw new ValidationError(`body is not valid JSON: ${(e as Error).message}`);
        }
        checkDepth(v, o.maxDepth, undefined, true);
        return v;
      }
      await admit(req);
      const text = await readText(payload, o.bodyBytes);
      if (req.url.startsWith('/api/v1/import')) {
        return text;
      }
      const parsed = parseBody(text, req.headers['content-type']);
      parsed.records.forEach((r, i) => checkDepth(r, o.maxDepth, parsed.lines?.[i] ?? i + 1));
      return parsed;
    })
  );
}
