import fs from 'fs';
import path from 'path';
import type { SavedQuery } from '../migration';

export interface DashboardTarget {
  where: string;
  target: SavedQuery;
  kind: 'panel' | 'annotation' | 'variable';
}

/** Every target of the committed dashboards: panels (nested in rows too), annotations, query variables. */
export function dashboardTargets(): DashboardTarget[] {
  const dir = path.resolve(__dirname, '../../../dashboards');
  const out: DashboardTarget[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const ours = (ds: { type?: string } | undefined) => ds?.type === 'humain-rlhf-datasource';
    const walk = (panels: Array<Record<string, any>> = []) =>
      panels.forEach((p) => {
        walk(p.panels);
        (p.targets ?? [])
          .filter((t: Record<string, any>) => ours(t.datasource ?? p.datasource))
          .forEach((t: SavedQuery) => out.push({ where: `${file} "${p.title}"`, target: t, kind: 'panel' }));
      });
    walk(d.panels);
    for (const a of d.annotations?.list ?? []) {
      if (ours(a.datasource)) {
        out.push({ where: `${file} annotation "${a.name}"`, target: a.target, kind: 'annotation' });
      }
    }
    for (const v of d.templating?.list ?? []) {
      if (v.type === 'query' && ours(v.datasource)) {
        out.push({ where: `${file} variable ${v.name}`, target: v.query, kind: 'variable' });
      }
    }
  }
  return out;
}

/** One representative per shape (where it is used, type and the set of fields), as the dashboards use them. */
export function dashboardShapes(): Map<string, DashboardTarget> {
  return new Map(
    dashboardTargets().map((t) => [
      `${t.kind} ${String(t.target.type)}: ${Object.keys(t.target)
        .filter((k) => k !== 'refId' && k !== 'datasource')
        .sort()
        .join(', ')}`,
      t,
    ])
  );
}
