// PromQL over the real exporters' metrics (names: server/src/demo/exporters/reference.ts), shared by the
// dashboards and the alert rules so both read the same expressions. vLLM names follow vllm/v1/metrics/loggers.py
// (V1 engine), GPU names dcgm-exporter's default and DCP counter sets.
import { type VariableModel, VariableHide, VariableRefresh, VariableSort } from '@grafana/schema';
import { PROM_DS } from './builders';

/** Label matchers of the Deployment dashboard's vLLM variables. */
export const VLLM_SELECTOR = 'model_name=~"$model_name", instance=~"$instance"';

/** sum by (le, <by>) of a histogram's bucket rates, the input of histogram_quantile. */
export function bucketRate(histogram: string, selector: string, by: string[], window = '$__rate_interval'): string {
  return `sum by (${['le', ...by].join(', ')}) (rate(${histogram}_bucket{${selector}}[${window}]))`;
}

export function quantile(q: number, histogram: string, selector: string, by: string[], window?: string): string {
  return `histogram_quantile(${q}, ${bucketRate(histogram, selector, by, window)})`;
}

/** Share of the vLLM API server's HTTP responses that are 5xx, per instance. */
export function httpErrorRatio(selector: string, window = '$__rate_interval'): string {
  return (
    `sum by (instance) (rate(http_requests_total{status="5xx", ${selector}}[${window}]))` +
    ` / sum by (instance) (rate(http_requests_total{${selector}}[${window}]))`
  );
}

/**
 * A Prometheus query variable from `label_values(metric, label)`, multi-value with an All that matches
 * everything (`.+` goes into `=~` matchers as it is).
 */
export function promLabelVariable(v: {
  name: string;
  label: string;
  metric: string;
  labelName: string;
  description: string;
  /** Provisioned selection (a value the demo serves); default All. */
  defaultValue?: string[];
}): VariableModel & { definition: string } {
  const query = `label_values(${v.metric}, ${v.labelName})`;
  const current = v.defaultValue?.length
    ? { selected: true, text: v.defaultValue, value: v.defaultValue }
    : { selected: true, text: ['All'], value: ['$__all'] };
  return {
    type: 'query',
    name: v.name,
    label: v.label,
    description: v.description,
    datasource: PROM_DS,
    definition: query,
    query: { query, refId: `${v.name}-label-values` },
    current,
    options: [],
    refresh: VariableRefresh.onTimeRangeChanged,
    regex: '',
    sort: VariableSort.alphabeticalAsc,
    multi: true,
    includeAll: true,
    allValue: '.+',
    hide: VariableHide.dontHide,
    skipUrlSync: false,
  };
}
