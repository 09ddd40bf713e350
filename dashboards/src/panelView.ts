// What Grafana would draw from a panel's frames, computed with Grafana's own @grafana/data (12.4): the
// panel's transformations, display names (e.g. "summary ece" in multi-frame replies), `reduceOptions.fields`
// and override matchers exactly as Grafana applies them. dashboards.test.ts runs this as a child process
// (@grafana/data needs a DOM and ESM-only packages that the Node jest project cannot load).
// Input on stdin: [{ where, panel, frames }] (frames as the service's wire JSON); output on stdout: [{ where, shown, problem }].
import { JSDOM } from 'jsdom';
import { firstValueFrom } from 'rxjs';
import type { Panel } from '@grafana/schema';

export interface PanelCase {
  where: string;
  panel: Panel;
  frames: unknown[];
}

export interface PanelVerdict {
  where: string;
  /** Display names of the fields the panel would draw (with at least one value). */
  shown: string[];
  /**
   * Data links (URLs before interpolation) of each field a table shows (by field name) or a stat/gauge draws (by
   * display name), from the panel defaults and every matching override as Grafana merges them.
   */
  links: Array<{ field: string; urls: string[] }>;
  problem?: string;
}

function installDom() {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'http://localhost/' });
  const g = globalThis as Record<string, unknown>;
  const matchMedia = () => ({
    matches: false,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
  });
  Object.assign(dom.window, { matchMedia });
  Object.assign(g, {
    window: dom.window,
    document: dom.window.document,
    navigator: dom.window.navigator,
    localStorage: dom.window.localStorage,
    HTMLElement: dom.window.HTMLElement,
    getComputedStyle: dom.window.getComputedStyle,
    matchMedia,
  });
}

async function main() {
  installDom();
  // Loaded after the DOM exists: @grafana/data touches `window` when it is first required.
  const gd = require('@grafana/data') as typeof import('@grafana/data');
  const {
    dataFrameFromJSON,
    transformDataFrame,
    standardTransformers,
    standardTransformersRegistry,
    getFieldDisplayName,
    getFieldMatcher,
    FieldMatcherID,
    FieldType,
  } = gd;
  const byId = new Map<string, { id: string; name: string; description?: string }>();
  for (const t of Object.values(standardTransformers) as Array<{ id: string; name: string; description?: string }>) {
    byId.set(t.id, t);
  }
  standardTransformersRegistry.setInit(
    () =>
      [...byId.values()].map((t) => ({
        id: t.id,
        name: t.name,
        description: t.description ?? '',
        transformation: t,
        editor: () => null,
      })) as never
  );

  const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8')) as PanelCase[];
  const verdicts: PanelVerdict[] = [];
  for (const { where, panel, frames: wire } of cases) {
    const frames = wire.map((f) => dataFrameFromJSON(f as never));
    const transformed = await firstValueFrom(transformDataFrame((panel.transformations ?? []) as never, frames));
    // Grafana matches `reduceOptions.fields` after the field config is applied: a displayName from the panel
    // defaults or a matching override replaces the name the regex sees. (Templates stay uninterpolated here.)
    const renames = (panel.fieldConfig?.overrides ?? []).filter((o) =>
      o.properties.some((p) => p.id === 'displayName')
    );
    const data = transformed.map((frame) => ({
      ...frame,
      fields: frame.fields.map((field) => {
        let name = panel.fieldConfig?.defaults?.displayName;
        for (const o of renames) {
          if (getFieldMatcher(o.matcher)(field, frame, transformed)) {
            name = o.properties.find((p) => p.id === 'displayName')!.value as string;
          }
        }
        return name ? { ...field, config: { ...field.config, displayName: name }, state: undefined } : field;
      }),
    }));
    const hidden = (panel.fieldConfig?.overrides ?? []).filter((o) =>
      o.properties.some((p) => p.id === 'custom.hideFrom' && (p.value as { viz?: boolean })?.viz)
    );
    const isHidden = (field: (typeof data)[number]['fields'][number], frame: (typeof data)[number]) =>
      hidden.some((o) => getFieldMatcher(o.matcher)(field, frame, data));
    const hasValue = (field: { values: unknown[] }) =>
      field.values.some((v) => v !== null && v !== undefined && !(typeof v === 'number' && isNaN(v)));
    const options = (panel.options ?? {}) as {
      reduceOptions?: { fields?: string };
      frameIndex?: number;
      xField?: string;
    };
    const shown: string[] = [];
    const links: PanelVerdict['links'] = [];
    // Grafana's setDynamicConfigValue: an override's array (links) goes before what the field had.
    const linkOverrides = (panel.fieldConfig?.overrides ?? []).filter((o) =>
      o.properties.some((p) => p.id === 'links')
    );
    const urlsOf = (field: (typeof data)[number]['fields'][number], frame: (typeof data)[number]) =>
      linkOverrides
        .filter((o) => getFieldMatcher(o.matcher)(field, frame, data))
        .reduce(
          (acc, o) => [...(o.properties.find((p) => p.id === 'links')!.value as Array<{ url: string }>), ...acc],
          (panel.fieldConfig?.defaults?.links ?? []) as Array<{ url: string }>
        )
        .map((l) => l.url);
    let problem: string | undefined;

    switch (panel.type) {
      case 'stat':
      case 'bargauge':
      case 'gauge': {
        const fields = options.reduceOptions?.fields;
        const matcher = getFieldMatcher(
          fields ? { id: FieldMatcherID.byRegexp, options: fields } : { id: FieldMatcherID.numeric }
        );
        for (const frame of data) {
          for (const field of frame.fields) {
            if (field.type !== FieldType.time && matcher(field, frame, data) && hasValue(field)) {
              shown.push(getFieldDisplayName(field, frame, data));
              links.push({ field: getFieldDisplayName(field, frame, data), urls: urlsOf(field, frame) });
            }
          }
        }
        break;
      }
      case 'timeseries':
      case 'state-timeline':
      case 'heatmap': {
        for (const frame of data) {
          if (!frame.fields.some((f) => f.type === FieldType.time)) {
            continue; // Grafana skips frames without a time field
          }
          for (const field of frame.fields) {
            const drawable =
              field.type === FieldType.number || (panel.type === 'state-timeline' && field.type === FieldType.string);
            if (drawable && !isHidden(field, frame) && hasValue(field)) {
              shown.push(getFieldDisplayName(field, frame, data));
            }
          }
        }
        break;
      }
      case 'barchart': {
        // The bar chart draws one frame: x from `xField`, bars from its other number fields.
        const frame = data.find((f) => f.length > 0);
        const x = frame?.fields.find(
          (f) => f.name === options.xField || getFieldDisplayName(f, frame, data) === options.xField
        );
        if (options.xField && !x) {
          problem = `no x field "${options.xField}" in the first non-empty frame`;
        }
        for (const field of frame?.fields ?? []) {
          if (field !== x && field.type === FieldType.number && !isHidden(field, frame!) && hasValue(field)) {
            shown.push(getFieldDisplayName(field, frame!, data));
          }
        }
        if (data.filter((f) => f.length > 0).length > 1) {
          problem = `the bar chart gets ${data.filter((f) => f.length > 0).length} non-empty frames and draws only the first`;
        }
        break;
      }
      case 'table': {
        const frame = data[options.frameIndex ?? 0];
        if (frame && frame.length > 0) {
          shown.push(...frame.fields.map((f) => getFieldDisplayName(f, frame, data)));
          links.push(...frame.fields.map((f) => ({ field: f.name, urls: urlsOf(f, frame) })));
        }
        break;
      }
      default:
        // Our panels read the frames themselves (their own tests cover that); here they only need data.
        if (data.some((f) => f.length > 0)) {
          shown.push(...data.map((f) => f.name ?? ''));
        }
    }
    if (!problem && shown.length === 0) {
      problem = 'nothing to draw';
    }
    verdicts.push({ where, shown, links, ...(problem ? { problem } : {}) });
  }
  process.stdout.write(JSON.stringify(verdicts));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
