// A local OpenAI-compatible endpoint for the Playground suite (node http): GET /v1/models and
// POST /v1/chat/completions, streamed as server-sent events (`data: {chunk}` ... `data: [DONE]`) when asked, a
// whole JSON completion otherwise. The model name picks the behaviour:
//   echo-1, echo-2  answer "[<model>] turn <n>: <last prompt>" (n = number of user messages), word by word
//   slow            200 words, 50 ms apart (for the stop button)
//   whole           never streams: a whole JSON answer even when asked to stream
//   busy / broken   429 with Retry-After: 7 / 500 with an OpenAI error body
//   hang            sends nothing (the proxy's timeout answers)
//   anything else   404 "model does not exist"
// A wrong Bearer key gets 401 (with OpenAI's wording, which echoes part of the key).
import http from 'http';
import type { AddressInfo } from 'net';

export interface LlmRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: { model?: string; stream?: boolean; messages?: Array<{ role: string; content: string }>; [k: string]: unknown };
}

export interface LlmServer {
  url: string;
  requests: LlmRequest[];
  /** Streams that ended because the client went away (stop button). */
  aborted: number;
  close(): Promise<void>;
}

export const MODELS = ['echo-1', 'echo-2', 'slow', 'whole', 'busy', 'broken', 'hang'];

export function echoAnswer(model: string, messages: Array<{ role: string; content: string }>): string {
  const users = messages.filter((m) => m.role === 'user');
  return `[${model}] turn ${users.length}: ${users[users.length - 1]?.content ?? ''}`;
}

function error(
  res: http.ServerResponse,
  status: number,
  message: string,
  type: string,
  extra: Record<string, string> = {}
) {
  res.writeHead(status, { 'content-type': 'application/json', ...extra });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

export async function startLlmServer(apiKeys: string[], o: { wordDelayMs?: number } = {}): Promise<LlmServer> {
  const requests: LlmRequest[] = [];
  const state = { aborted: 0 };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as LlmRequest['body']) : {};
    const path = new URL(req.url ?? '/', 'http://llm').pathname;
    requests.push({ method: req.method ?? 'GET', path, authorization: req.headers.authorization, body });
    const auth = req.headers.authorization ?? '';
    if (!apiKeys.some((k) => auth === `Bearer ${k}`)) {
      const given = auth.replace(/^Bearer /, '');
      error(
        res,
        401,
        `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}.`,
        'invalid_request_error'
      );
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: MODELS.map((id) => ({ id, object: 'model', owned_by: 'e2e' })) }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      error(res, 404, `Unknown request URL: ${req.method} ${path}`, 'invalid_request_error');
      return;
    }
    const model = String(body.model ?? '');
    if (model === 'busy') {
      error(res, 429, 'Rate limit reached for requests', 'requests', { 'retry-after': '7' });
      return;
    }
    if (model === 'broken') {
      error(res, 500, 'The server had an error while processing your request.', 'server_error');
      return;
    }
    if (model === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (!MODELS.includes(model)) {
      error(
        res,
        404,
        `The model \`${model}\` does not exist or you do not have access to it.`,
        'invalid_request_error'
      );
      return;
    }
    const answer =
      model === 'slow'
        ? Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ')
        : echoAnswer(model, body.messages ?? []);
    const words = answer.split(' ');
    const usage = { prompt_tokens: 10, completion_tokens: words.length, total_tokens: 10 + words.length };
    const id = `chatcmpl-${requests.length}`;
    if (!body.stream || model === 'whole') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
          usage,
        })
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        state.aborted++;
      }
    });
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`
      );
    chunk({ role: 'assistant', content: '' }, null);
    const delay = model === 'slow' ? 50 : (o.wordDelayMs ?? 15);
    for (let i = 0; i < words.length && !closed; i++) {
      chunk({ content: i === 0 ? words[i] : ` ${words[i]}` }, null);
      await new Promise((r) => setTimeout(r, delay));
    }
    if (closed) {
      return;
    }
    chunk({}, 'stop');
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model, choices: [], usage })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) {
          r.destroy();
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
