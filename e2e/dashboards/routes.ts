// Grafana's data-source proxy for plugin routes (pkg/api/pluginproxy/ds_proxy.go, pluginproxy/utils.go): pick
// the first route whose `path` prefixes the proxied path (and whose method matches), render its URL and header
// templates with the data source's jsonData and decrypted secureJsonData, and join the rest of the path.
import type { ProvisionedDataSource } from './provisioning';

export interface PluginRoute {
  path: string;
  method?: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

/**
 * Go text/template as routes use it: `{{ .JsonData.x }}`, `{{ .SecureJsonData.x }}` (a missing key renders as
 * Go's "<no value>"). Any other action throws, so a route this harness does not understand fails loudly.
 */
export function renderTemplate(text: string, ds: Pick<ProvisionedDataSource, 'jsonData' | 'secureJsonData'>): string {
  return text.replace(/\{\{(.*?)\}\}/g, (_m, inner: string) => {
    const m = /^\s*\.(JsonData|SecureJsonData)\.(\w+)\s*$/.exec(inner);
    if (!m) {
      throw new Error(`route template not supported by the harness: {{${inner}}}`);
    }
    const value = (m[1] === 'JsonData' ? ds.jsonData : ds.secureJsonData)[m[2]];
    return value === undefined || value === null ? '<no value>' : String(value);
  });
}

export function matchRoute(routes: PluginRoute[], proxyPath: string, method: string): PluginRoute | undefined {
  return routes.find(
    (r) => (!r.method || r.method === '*' || r.method.toUpperCase() === method) && proxyPath.startsWith(r.path)
  );
}

export interface Upstream {
  url: URL;
  headers: Record<string, string>;
}

/** Where a proxied request goes and with which route headers; `search` is the original query string. */
export function upstreamFor(
  route: PluginRoute,
  proxyPath: string,
  search: string,
  ds: ProvisionedDataSource
): Upstream {
  const base = new URL(renderTemplate(route.url ?? '', ds));
  const rest = proxyPath.slice(route.path.length);
  const joined = `${base.pathname.replace(/\/$/, '')}/${rest.replace(/^\//, '')}`.replace(/\/$/, '') || '/';
  const url = new URL(joined + search, base.origin);
  const headers: Record<string, string> = {};
  for (const h of route.headers ?? []) {
    headers[h.name] = renderTemplate(h.content, ds);
  }
  return { url, headers };
}
