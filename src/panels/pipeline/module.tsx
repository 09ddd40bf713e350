import { PanelPlugin } from '@grafana/data';
import { PipelinePanel } from './components/PipelinePanel';
import { defaultOptions as d, PHASE_NAMES, PHASES, type PipelineOptions } from './types';

export const plugin = new PanelPlugin<PipelineOptions>(PipelinePanel).setPanelOptions((builder) => {
  for (const phase of PHASES) {
    const category = [PHASE_NAMES[phase]];
    const def = d[phase];
    builder
      .addTextInput({
        path: `${phase}.url`,
        name: 'Dashboard link',
        description: 'Where the phase card leads. Template variables are interpolated.',
        defaultValue: def.url,
        category,
      })
      .addTextInput({
        path: `${phase}.source`,
        name: 'Headline source',
        description: 'Query refId, frame name or series metric label to read the headline from. Empty: any frame.',
        defaultValue: def.source,
        category,
      })
      .addTextInput({
        path: `${phase}.field`,
        name: 'Headline field',
        description: 'Field whose last value is shown. Empty: no headline.',
        defaultValue: def.field,
        category,
      })
      .addTextInput({ path: `${phase}.label`, name: 'Headline label', defaultValue: def.label, category })
      .addUnitPicker({ path: `${phase}.unit`, name: 'Headline unit', defaultValue: def.unit, category })
      .addNumberInput({
        path: `${phase}.decimals`,
        name: 'Headline decimals',
        defaultValue: def.decimals,
        settings: { min: 0, max: 6, integer: true },
        category,
      });
  }
  return builder.addBooleanSwitch({
    path: 'keepTimeRange',
    name: 'Keep time range in links',
    description: 'Open the phase dashboard on the same time range as this one.',
    defaultValue: d.keepTimeRange,
    category: ['Links'],
  });
});
