// axe-core in the page under test: the WCAG 2.1 A/AA rules only (the level the product promises).
import fs from 'fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary: string }>;
}

/** Violations under `selector` (default: the whole document), one line each when printed with `formatViolations`. */
export async function axeViolations(page: Page, selector = 'body'): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  return page.evaluate(
    async ({ selector, tags }) => {
      type Axe = { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> };
      const axe = (window as unknown as { axe: Axe }).axe;
      const result = await axe.run(selector, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations as AxeViolation[];
    },
    { selector, tags: TAGS }
  );
}

export function formatViolations(vs: AxeViolation[]): string {
  return vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`
    )
    .join('\n');
}
