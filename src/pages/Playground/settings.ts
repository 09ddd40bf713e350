// What the Playground keeps in the app's plugin settings. Grafana's plugin proxy can only template top-level
// settings into a route (`{{ .JsonData.llm1Url }}`, `{{ .SecureJsonData.llm1Key }}`), and routes are fixed in
// plugin.json, so providers live in a fixed number of slots: slot n is route `llm<n>/*` (see src/plugin.json).

/** Number of provider slots; must match the `llm<n>` routes in src/plugin.json. */
export const PROVIDER_SLOTS = 4;

export interface Provider {
  /** 1..PROVIDER_SLOTS: the proxy route `llm<slot>` and the settings keys `llm<slot>Url` / `llm<slot>Key`. */
  slot: number;
  name: string;
  /** Base URL of the OpenAI-compatible API, including its version path (e.g. https://api.openai.com/v1). */
  url: string;
  models: string[];
}

/** The Playground's part of the app's jsonData (the setup page owns the rest; we merge, never replace). */
export interface PlaygroundJsonData {
  playgroundEnabled?: boolean;
  /** Name and models per slot; the URL sits in `llm<slot>Url` so that the route can template it. */
  playgroundProviders?: Array<{ slot: number; name: string; models: string[] }>;
  [key: string]: unknown;
}

export const urlKey = (slot: number) => `llm${slot}Url`;
export const apiKeyKey = (slot: number) => `llm${slot}Key`;

export function isPlaygroundEnabled(jsonData: unknown): boolean {
  return (jsonData as PlaygroundJsonData | undefined)?.playgroundEnabled === true;
}

/** The configured providers (slots with a URL), in slot order. */
export function providersFrom(jsonData: unknown): Provider[] {
  const j = (jsonData ?? {}) as PlaygroundJsonData;
  const meta = new Map((j.playgroundProviders ?? []).map((p) => [p.slot, p]));
  const out: Provider[] = [];
  for (let slot = 1; slot <= PROVIDER_SLOTS; slot++) {
    const url = j[urlKey(slot)];
    if (typeof url === 'string' && url.trim() !== '') {
      const m = meta.get(slot);
      out.push({ slot, name: m?.name || `Provider ${slot}`, url, models: m?.models ?? [] });
    }
  }
  return out;
}

/** jsonData with the providers written into their slots; unrelated keys are kept as they were. */
export function withProviders(jsonData: unknown, providers: Provider[], enabled: boolean): PlaygroundJsonData {
  const next: PlaygroundJsonData = { ...((jsonData ?? {}) as PlaygroundJsonData) };
  for (let slot = 1; slot <= PROVIDER_SLOTS; slot++) {
    delete next[urlKey(slot)];
  }
  for (const p of providers) {
    next[urlKey(p.slot)] = normaliseBaseUrl(p.url);
  }
  next.playgroundProviders = providers.map((p) => ({ slot: p.slot, name: p.name.trim(), models: p.models }));
  next.playgroundEnabled = enabled;
  return next;
}

/** Trailing slashes off, so `<base>/chat/completions` has one slash. */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** What is wrong with a provider's fields, or undefined. */
export function providerProblem(p: Pick<Provider, 'name' | 'url'>): string | undefined {
  if (p.name.trim() === '') {
    return 'Give the provider a name (shown in the model picker).';
  }
  let u: URL;
  try {
    u = new URL(p.url.trim());
  } catch {
    return 'The base URL must be absolute, e.g. https://api.openai.com/v1 or http://vllm:8000/v1.';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return 'The base URL must start with http:// or https://.';
  }
  return undefined;
}

/** Comma- or newline-separated model names, trimmed, duplicates dropped. */
export function parseModels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
    ),
  ];
}
