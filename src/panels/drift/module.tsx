import { PanelPlugin } from '@grafana/data';
import { DriftPanel } from './components/DriftPanel';
import { defaultOptions as d, type DriftOptions } from './types';

export const plugin = new PanelPlugin<DriftOptions>(DriftPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'selectedFeature',
      name: 'Histogram of',
      description:
        'With several features: the feature whose histogram shows first. Template variables work ($feature, set by a drill-down link); empty or unknown = the most severe feature.',
      defaultValue: d.selectedFeature,
    })
    .addTextInput({
      path: 'referenceField',
      name: 'Reference field',
      description:
        'Raw samples from any data source: the field (or the query refId / frame name) holding the reference population. Not needed with RLHF Monitor drift queries.',
      defaultValue: d.referenceField,
      category: ['Raw samples'],
    })
    .addTextInput({
      path: 'currentField',
      name: 'Current field',
      description: 'The field (or query refId / frame name) holding the current population.',
      defaultValue: d.currentField,
      category: ['Raw samples'],
    })
    .addNumberInput({
      path: 'bins',
      name: 'Histogram bins',
      description: 'Equal-width bins over the pooled range of both samples.',
      defaultValue: d.bins,
      settings: { min: 2, max: 100, integer: true },
      category: ['Raw samples'],
    })
    .addNumberInput({
      path: 'psiModerate',
      name: 'PSI moderate from',
      description: 'Severity bands when the data carries no severity (RLHF Monitor always sends one).',
      defaultValue: d.psiModerate,
      category: ['Severity'],
    })
    .addNumberInput({
      path: 'psiMajor',
      name: 'PSI major above',
      defaultValue: d.psiMajor,
      category: ['Severity'],
    })
);
