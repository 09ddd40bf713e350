// The Prometheus text exposition format (version 0.0.4), as prometheus_client and dcgm-exporter write it:
// `# HELP`, `# TYPE`, then one line per sample; histograms as cumulative `_bucket{le}` plus `_sum` and `_count`.
import type { ReferenceMetric } from './reference';

export type Labels = Record<string, string>;

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Go/Python style numbers: integers without a fraction, +Inf/-Inf/NaN spelled out. */
function num(v: number): string {
  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '+Inf' : '-Inf';
  }
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

export interface HistogramSample {
  labels: Labels;
  /** Upper bounds, ascending (without +Inf). */
  bounds: number[];
  /** Cumulative counts per bound (same length as bounds). */
  cumulative: number[];
  count: number;
  sum: number;
}

/** Collects the families of one scrape in order and renders them. */
export class Exposition {
  private readonly lines: string[] = [];

  private header(m: ReferenceMetric): void {
    this.lines.push(`# HELP ${m.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    this.lines.push(`# TYPE ${m.name} ${m.type}`);
  }

  /** A counter or gauge family with one sample per label set. */
  scalar(m: ReferenceMetric, samples: Array<{ labels: Labels; value: number }>): this {
    if (m.type !== 'counter' && m.type !== 'gauge') {
      throw new Error(`${m.name} is a ${m.type}, not a counter or gauge`);
    }
    this.header(m);
    for (const s of samples) {
      this.lines.push(`${m.name}${labelText(s.labels)} ${num(s.value)}`);
    }
    return this;
  }

  histogram(m: ReferenceMetric, samples: HistogramSample[]): this {
    if (m.type !== 'histogram') {
      throw new Error(`${m.name} is a ${m.type}, not a histogram`);
    }
    this.header(m);
    for (const s of samples) {
      s.bounds.forEach((le, i) => {
        this.lines.push(`${m.name}_bucket${labelText({ ...s.labels, le: num(le) })} ${num(s.cumulative[i])}`);
      });
      this.lines.push(`${m.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${num(s.count)}`);
      this.lines.push(`${m.name}_count${labelText(s.labels)} ${num(s.count)}`);
      this.lines.push(`${m.name}_sum${labelText(s.labels)} ${num(s.sum)}`);
    }
    return this;
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; |error| < 1.5e-7, plenty for a demo). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** P(X <= x) for a log-normal X with the given median and log-space sigma. */
export function lognormalCdf(x: number, median: number, sigma: number): number {
  return x <= 0 ? 0 : normalCdf(Math.log(x / median) / sigma);
}
