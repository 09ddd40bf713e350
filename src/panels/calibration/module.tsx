import { PanelPlugin } from '@grafana/data';
import { CalibrationPanel } from './components/CalibrationPanel';
import { type CalibrationOptions, defaultOptions as d } from './types';

export const plugin = new PanelPlugin<CalibrationOptions>(CalibrationPanel).setPanelOptions((builder) =>
  builder
    .addNumberInput({
      path: 'bins',
      name: 'Bins',
      description:
        'Number of confidence bins when binning raw predictions here (our calibration query bins on the service).',
      defaultValue: d.bins,
      settings: { min: 2, max: 50, integer: true },
      category: ['Binning'],
    })
    .addRadio({
      path: 'binning',
      name: 'Binning strategy',
      description: 'Uniform: equal-width bins on [0, 1]. Quantile: equal-count bins.',
      defaultValue: d.binning,
      settings: {
        options: [
          { value: 'uniform', label: 'Uniform' },
          { value: 'quantile', label: 'Quantile' },
        ],
      },
      category: ['Binning'],
    })
    .addTextInput({
      path: 'confidenceField',
      name: 'Confidence field',
      description: 'Field with the predicted probability in [0, 1] (used when the data is not already binned).',
      defaultValue: d.confidenceField,
      category: ['Fields'],
    })
    .addTextInput({
      path: 'correctField',
      name: 'Correct field',
      description: 'Field with 1/0 or true/false: was the prediction right. Falls back to "label".',
      defaultValue: d.correctField,
      category: ['Fields'],
    })
    .addNumberInput({ path: 'eceWarning', name: 'ECE warning', defaultValue: d.eceWarning, category: ['Thresholds'] })
    .addNumberInput({
      path: 'eceCritical',
      name: 'ECE critical',
      defaultValue: d.eceCritical,
      category: ['Thresholds'],
    })
    .addNumberInput({ path: 'mceWarning', name: 'MCE warning', defaultValue: d.mceWarning, category: ['Thresholds'] })
    .addNumberInput({
      path: 'mceCritical',
      name: 'MCE critical',
      defaultValue: d.mceCritical,
      category: ['Thresholds'],
    })
    .addNumberInput({
      path: 'brierWarning',
      name: 'Brier warning',
      defaultValue: d.brierWarning,
      category: ['Thresholds'],
    })
    .addNumberInput({
      path: 'brierCritical',
      name: 'Brier critical',
      defaultValue: d.brierCritical,
      category: ['Thresholds'],
    })
    .addBooleanSwitch({
      path: 'showHistogram',
      name: 'Confidence histogram',
      description: 'Show how many predictions fall in each confidence bin (when there is room).',
      defaultValue: d.showHistogram,
      category: ['Display'],
    })
);
