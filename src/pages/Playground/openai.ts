// OpenAI-compatible chat completions through the app's plugin proxy (`/api/plugin-proxy/<app>/llm<n>/...`):
// Grafana adds the provider's key on the server side, so the browser only ever sees the proxy URL.
// Streams with server-sent events when the endpoint does; falls back to a whole answer when it does not.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** `<appSubUrl>/api/plugin-proxy/<app id>/llm<n>` */
  base: string;
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  stream: boolean;
  signal: AbortSignal;
  /** Called with the whole answer so far, each time a streamed piece arrives. */
  onText?: (text: string) => void;
  /** No byte from the provider for this long ends the request as a timeout. */
  idleTimeoutMs?: number;
}

export interface ChatResult {
  text: string;
  finishReason: string | null;
  completionTokens: number | null;
  streamed: boolean;
  /** The user pressed stop: `text` is what had arrived. */
  stopped: boolean;
}

export type ErrorKind = 'auth' | 'not_found' | 'rate_limit' | 'server' | 'timeout' | 'network' | 'bad_request';

export class ProviderError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

export const DEFAULT_IDLE_TIMEOUT_MS = 90_000;

export function proxyBase(appSubUrl: string, appId: string, slot: number): string {
  return `${appSubUrl.replace(/\/$/, '')}/api/plugin-proxy/${encodeURIComponent(appId)}/llm${slot}`;
}

/** Splits an SSE byte stream (already decoded to text) into `data:` payloads; keeps partial lines between pushes. */
export class SseDecoder {
  private buffer = '';
  private data: string[] = [];

  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      if (line === '') {
        if (this.data.length) {
          out.push(this.data.join('\n'));
          this.data = [];
        }
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(5).replace(/^ /, ''));
      }
      // comments (":"), event:, id:, retry: carry nothing a chat completion needs
    }
    return out;
  }

  /** What is left when the stream ends without a closing blank line. */
  end(): string[] {
    const rest = this.push('\n\n');
    this.buffer = '';
    return rest;
  }
}

/** The provider's own error text (OpenAI shape `{error: {message}}`, or a string), shortened. */
function providerMessage(body: string): string {
  let msg = body.trim();
  try {
    const j = JSON.parse(body) as { error?: { message?: string } | string; message?: string };
    msg = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? msg;
  } catch {
    // plain text
  }
  msg = msg.replace(/\s+/g, ' ');
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg;
}

/** A sentence for each failure a user can act on. `name` is the provider as configured. */
export function errorFor(status: number, body: string, name: string, retryAfter?: string | null): ProviderError {
  const detail = providerMessage(body);
  // Grafana's proxies turn an upstream 401 into 400 "Authentication to data source failed" (so that the user
  // is not logged out of Grafana); both mean the key was refused. The provider's own 401 text is not shown:
  // some echo a part of the key.
  if (status === 401 || status === 403 || (status === 400 && /authentication .*failed/i.test(body))) {
    return new ProviderError(
      'auth',
      `${name} refused the API key (${status}). An admin can set the key for ${name} on the app's configuration page.`,
      status
    );
  }
  if (status === 404) {
    return new ProviderError(
      'not_found',
      `${name} answered 404: the model or the endpoint does not exist. Check the model name and that the base URL ends with the API version (e.g. /v1).${detail ? ` Provider: ${detail}` : ''}`,
      status
    );
  }
  if (status === 429) {
    const wait =
      retryAfter && /^\d+$/.test(retryAfter) ? ` Try again in ${retryAfter} s.` : ' Wait a little and try again.';
    return new ProviderError('rate_limit', `${name} is rate-limiting requests (429).${wait}`, status);
  }
  if (status === 504) {
    return new ProviderError(
      'timeout',
      `${name} did not answer in time (504 from Grafana's proxy). Try a shorter answer (max tokens) or again later.`,
      status
    );
  }
  if (status === 502) {
    return new ProviderError(
      'network',
      `Grafana could not reach ${name} (502). Check the base URL on the app's configuration page and that Grafana's server can reach it.`,
      status
    );
  }
  if (status >= 500) {
    return new ProviderError(
      'server',
      `${name} failed with ${status}; this is on the provider's side, try again later.${detail ? ` Provider: ${detail}` : ''}`,
      status
    );
  }
  return new ProviderError(
    'bad_request',
    `${name} rejected the request (${status}).${detail ? ` Provider: ${detail}` : ''}`,
    status
  );
}

interface Completion {
  choices?: Array<{
    message?: { content?: string | null };
    delta?: { content?: string | null };
    finish_reason?: string | null;
  }>;
  usage?: { completion_tokens?: number } | null;
}

function parseCompletion(text: string): Completion {
  try {
    return JSON.parse(text) as Completion;
  } catch {
    throw new ProviderError('server', 'The provider answered with something that is not a chat completion (not JSON).');
  }
}

/** One chat completion; throws ProviderError with a message for the user. */
export async function chatCompletion(req: ChatRequest, providerName: string): Promise<ChatResult> {
  const idle = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      idle.abort();
    }, req.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  };
  const onStop = () => idle.abort();
  req.signal.addEventListener('abort', onStop);
  arm();
  let text = '';
  let streamed = false;
  let finishReason: string | null = null;
  let completionTokens: number | null = null;
  try {
    const body = {
      model: req.model,
      messages: req.messages,
      temperature: req.temperature,
      max_tokens: req.maxTokens,
      stream: req.stream,
      ...(req.stream ? { stream_options: { include_usage: true } } : {}),
    };
    const res = await fetch(`${req.base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: req.stream ? 'text/event-stream' : 'application/json' },
      body: JSON.stringify(body),
      signal: idle.signal,
      credentials: 'same-origin',
    });
    arm();
    if (!res.ok) {
      throw errorFor(res.status, await res.text(), providerName, res.headers.get('retry-after'));
    }
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream') || !res.body) {
      // The endpoint (or a proxy in between) does not stream: one whole answer.
      const c = parseCompletion(await res.text());
      const choice = c.choices?.[0];
      text = choice?.message?.content ?? '';
      req.onText?.(text);
      return {
        text,
        finishReason: choice?.finish_reason ?? null,
        completionTokens: c.usage?.completion_tokens ?? null,
        streamed: false,
        stopped: false,
      };
    }
    streamed = true;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const sse = new SseDecoder();
    let finished = false;
    const take = (payloads: string[]): boolean => {
      for (const p of payloads) {
        if (p.trim() === '[DONE]') {
          return true;
        }
        const c = parseCompletion(p);
        const choice = c.choices?.[0];
        const piece = choice?.delta?.content ?? '';
        if (piece) {
          text += piece;
        }
        finishReason = choice?.finish_reason ?? finishReason;
        completionTokens = c.usage?.completion_tokens ?? completionTokens;
      }
      if (payloads.length) {
        req.onText?.(text);
      }
      return false;
    };
    for (;;) {
      const { value, done } = await reader.read();
      arm();
      if (done) {
        if (!finished) {
          take(sse.end());
        }
        break;
      }
      // After [DONE] the rest is read and dropped, so the response ends normally.
      finished = finished || take(sse.push(value));
    }
    return { text, finishReason, completionTokens, streamed, stopped: false };
  } catch (e) {
    if (e instanceof ProviderError) {
      throw e;
    }
    if (req.signal.aborted) {
      return { text, finishReason: null, completionTokens, streamed, stopped: true };
    }
    if (timedOut) {
      throw new ProviderError(
        'timeout',
        `${providerName} sent nothing for ${Math.round((req.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS) / 1000)} s; the request was given up. Try again, or lower max tokens.`
      );
    }
    throw new ProviderError(
      'network',
      `The request to ${providerName} failed before an answer came (${e instanceof Error ? e.message : String(e)}). Check your connection to Grafana.`
    );
  } finally {
    clearTimeout(timer);
    req.signal.removeEventListener('abort', onStop);
  }
}

/** Model ids from `<base>/models` (OpenAI shape `{data: [{id}]}`); [] when the endpoint does not list models. */
export async function listModels(base: string, providerName: string): Promise<string[]> {
  const res = await fetch(`${base}/models`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) {
    throw errorFor(res.status, await res.text(), providerName);
  }
  const j = (await res.json().catch(() => ({}))) as { data?: Array<{ id?: unknown }> };
  return (j.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string' && id !== '');
}
