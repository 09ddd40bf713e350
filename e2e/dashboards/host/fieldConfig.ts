// Grafana's field-config pipeline for the core panels, outside Grafana: core fills
// standardFieldConfigEditorRegistry at start-up (unit, min, max, thresholds, ...) and each core panel adds its
// own `custom.*` options with their defaults. Here the same items are registered with @grafana/data's own
// override processors (no editors: nothing is edited), so applyFieldOverrides applies a dashboard's defaults and
// overrides exactly as Grafana does.
import {
  applyFieldOverrides,
  booleanOverrideProcessor,
  type DataFrame,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigOptionsRegistry,
  type FieldConfigPropertyItem,
  type FieldConfigSource,
  getFieldDisplayName,
  type GrafanaTheme2,
  identityOverrideProcessor,
  numberOverrideProcessor,
  type ScopedVars,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

const none = () => null;

function item(
  id: string,
  process: FieldConfigPropertyItem['process'],
  extra: Partial<FieldConfigPropertyItem> = {}
): FieldConfigPropertyItem {
  return { id, path: id, name: id, process, override: none, editor: none, shouldApply: () => true, ...extra };
}

/** The standard options every panel has (Grafana's getAllStandardFieldConfigs, by id and processor). */
const STANDARD: FieldConfigPropertyItem[] = [
  item('unit', unitOverrideProcessor),
  item('min', numberOverrideProcessor),
  item('max', numberOverrideProcessor),
  item('fieldMinMax', booleanOverrideProcessor),
  item('decimals', numberOverrideProcessor),
  // Templates such as ${__field.labels.gpu} are expanded against each field (its __dataContext).
  item('displayName', displayNameOverrideProcessor, { settings: { expandTemplateVars: true } }),
  item('noValue', stringOverrideProcessor),
  item('color', identityOverrideProcessor),
  item('thresholds', thresholdsOverrideProcessor),
  item('mappings', valueMappingsOverrideProcessor),
  item('links', dataLinksOverrideProcessor),
  item('filterable', booleanOverrideProcessor),
];

export function registerStandardFieldConfigs(): void {
  for (const it of STANDARD) {
    if (!standardFieldConfigEditorRegistry.getIfExists(it.id)) {
      standardFieldConfigEditorRegistry.register(it);
    }
  }
}

/** Defaults of each core panel's `custom` options that change what is drawn (from the panels' own cue schemas). */
const CUSTOM_DEFAULTS: Record<string, Record<string, unknown>> = {
  timeseries: {
    drawStyle: 'line',
    lineInterpolation: 'linear',
    lineWidth: 1,
    fillOpacity: 0,
    gradientMode: 'none',
    showPoints: 'auto',
    pointSize: 5,
    spanNulls: false,
    axisPlacement: 'auto',
    axisBorderShow: false,
    barAlignment: 0,
    stacking: { mode: 'none', group: 'A' },
    thresholdsStyle: { mode: 'off' },
    hideFrom: { viz: false, legend: false, tooltip: false },
    scaleDistribution: { type: 'linear' },
  },
  table: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false },
};

/** Standard items plus one custom item for every `custom.*` key the panel's defaults or overrides use. */
function registryFor(type: string, fc: FieldConfigSource): FieldConfigOptionsRegistry {
  const keys = new Set(Object.keys({ ...CUSTOM_DEFAULTS[type], ...(fc.defaults.custom ?? {}) }));
  for (const o of fc.overrides) {
    o.properties.filter((p) => p.id.startsWith('custom.')).forEach((p) => keys.add(p.id.slice('custom.'.length)));
  }
  const custom = [...keys].map((k) =>
    item(`custom.${k}`, identityOverrideProcessor, {
      path: k,
      isCustom: true,
      defaultValue: CUSTOM_DEFAULTS[type]?.[k],
    })
  );
  return new FieldConfigOptionsRegistry(() => [...STANDARD, ...custom]);
}

/** The panel's field config with the core panel's custom defaults under what the dashboard saved. */
export function withCoreDefaults(type: string, fc: FieldConfigSource): FieldConfigSource {
  return {
    defaults: { ...fc.defaults, custom: { ...CUSTOM_DEFAULTS[type], ...(fc.defaults.custom ?? {}) } },
    overrides: fc.overrides,
  };
}

/** applyFieldOverrides as Grafana runs it for a core panel of the given type. */
export function applyCoreFieldConfig(
  type: string,
  frames: DataFrame[],
  fieldConfig: FieldConfigSource,
  theme: GrafanaTheme2,
  replaceVariables: (s: string, vars?: ScopedVars) => string
): DataFrame[] {
  const fc = withCoreDefaults(type, fieldConfig);
  const out = applyFieldOverrides({
    data: frames,
    fieldConfig: fc,
    fieldConfigRegistry: registryFor(type, fc),
    replaceVariables: (s: string, vars?: ScopedVars) => replaceVariables(s, vars),
    theme,
    timeZone: 'utc',
  });
  // Resolve each display name once (getFieldDisplayName caches it in field.state), as Grafana's panels read it.
  out.forEach((frame) => frame.fields.forEach((f) => getFieldDisplayName(f, frame, out)));
  return out;
}
