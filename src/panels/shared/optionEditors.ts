import { standardEditorsRegistry } from '@grafana/data';

/** Editor ids the panel options builder looks up (OptionsUIBuilders in @grafana/data). */
const EDITOR_IDS = [
  'boolean',
  'color',
  'dashboard-uid',
  'field-name',
  'multi-select',
  'number',
  'radio',
  'select',
  'slider',
  'strings',
  'text',
  'timezone',
  'unit',
];

/**
 * Outside Grafana (tests, the e2e host) nobody registers the option editors, and PanelPlugin.defaults throws
 * `"number" not found`. Register inert ones so the builder can run and report its defaults.
 */
export function registerStubOptionEditors() {
  for (const id of EDITOR_IDS) {
    if (!standardEditorsRegistry.getIfExists(id)) {
      standardEditorsRegistry.register({ id, name: id, editor: () => null });
    }
  }
}
