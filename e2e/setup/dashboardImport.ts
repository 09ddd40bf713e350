// What Grafana's dashboard import does with a template's inputs (pkg/services/dashboardimport/utils/
// dash_template_evaluator.go): every `__inputs` entry needs an import input of the same name and type (an input
// named "*" matches any), else the import fails; then `${NAME}` is replaced in every string of the JSON, other
// `${...}` (template variables) stay, and `__inputs`, `__requires`, `__elements` are dropped.

export interface ImportInput {
  name: string;
  type: string;
  value: string;
}

export function evaluateImport(template: Record<string, unknown>, inputs: ImportInput[]): Record<string, unknown> {
  const values = new Map<string, string>();
  for (const def of (template.__inputs ?? []) as Array<{ name: string; type: string; pluginId?: string }>) {
    const input =
      def.pluginId === '__expr__'
        ? { value: '__expr__' }
        : inputs.find((i) => i.type === def.type && (i.name === def.name || i.name === '*'));
    if (!input) {
      throw new Error(`Dashboard input variable: ${def.name} missing from import command`);
    }
    values.set(`\${${def.name}}`, input.value);
  }
  const evalValue = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.replace(/\$\{.+?\}/g, (m) => values.get(m) ?? m);
    }
    if (Array.isArray(v)) {
      return v.map(evalValue);
    }
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== '__inputs')
          .map(([k, x]) => [k, evalValue(x)])
      );
    }
    return v;
  };
  const out = evalValue(template) as Record<string, unknown>;
  delete out.__requires;
  delete out.__elements;
  return out;
}
