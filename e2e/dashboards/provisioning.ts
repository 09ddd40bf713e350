// Reads Grafana's data-source provisioning files the way Grafana does (pkg/services/provisioning/datasources):
// YAML with apiVersion 1, `$VAR` / `${VAR}` replaced from the environment before parsing, `$$` for a literal $.
import fs from 'fs';
import yaml from 'js-yaml';
import path from 'path';

export interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
  access?: string;
  url?: string;
  isDefault?: boolean;
  jsonData: Record<string, unknown>;
  /** Decrypted, as Grafana's server holds it; never sent to the browser. */
  secureJsonData: Record<string, string>;
}

export function expandEnv(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{(\w+)\}|\$(\w+)/g, (m, braced: string | undefined, bare: string | undefined) => {
    if (m === '$$') {
      return '$';
    }
    return env[braced ?? bare ?? ''] ?? '';
  });
}

export function readProvisionedDataSources(
  dir: string,
  env: Record<string, string | undefined> = process.env
): ProvisionedDataSource[] {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  return files.flatMap((f) => {
    const doc = yaml.load(expandEnv(fs.readFileSync(path.join(dir, f), 'utf8'), env)) as {
      datasources?: Array<Partial<ProvisionedDataSource>>;
    };
    return (doc?.datasources ?? []).map((d) => {
      if (!d.uid || !d.type || !d.name) {
        throw new Error(`${f}: a data source without uid/type/name`);
      }
      return {
        ...d,
        name: d.name,
        uid: d.uid,
        type: d.type,
        jsonData: { ...(d.jsonData ?? {}) },
        secureJsonData: Object.fromEntries(Object.entries(d.secureJsonData ?? {}).map(([k, v]) => [k, String(v)])),
      };
    });
  });
}
