import { agreementSummary, krippendorffAlpha, pairwiseKappa, type Annotation } from '../server/src/analytics/agreement';
import {
  calibration,
  chiSquare,
  driftSummary,
  fitTemperature,
  ks2samp,
  psi,
  wasserstein1,
} from '@rlhf-monitor/contract';
import { createRng } from '../server/src/demo/random';

// The analytics at the sizes the issue names (one JSON line per figure, median of 5 runs after a warm-up):
// calibration over 1,000,000 predictions, KS / PSI / Wasserstein over 2 × 500,000 samples, Krippendorff's alpha
// over 100,000 annotations. Inputs are seeded pseudo-random data, so runs are comparable.

function bench(name: string, goalMs: number | null, fn: () => unknown, runs = 5): void {
  fn(); // warm-up (JIT)
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t) / 1e6);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  const ms = round(wall[Math.floor(runs / 2)]);
  // Medians of wall time and of CPU time: on a machine shared with other work the wall time includes the time
  // the process waited for a core, the CPU time does not (it is what the figure costs on an idle core).
  console.log(
    JSON.stringify({
      bench: name,
      ms,
      cpu_ms: round(cpu[Math.floor(runs / 2)]),
      ...(goalMs !== null ? { goal_ms: goalMs, ok: ms < goalMs } : {}),
    })
  );
}

const g = createRng(42);
const r = () => g.next();

// 1,000,000 over-confident predictions: true probability of being right is σ(logit(conf)/1.5).
const N = 1_000_000;
const conf = new Float64Array(N);
const correct = new Uint8Array(N);
for (let i = 0; i < N; i++) {
  const c = r();
  conf[i] = c;
  const z = Math.log(c / (1 - c)) / 1.5;
  correct[i] = r() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
}
bench('calibration_1m', 300, () => calibration(conf, correct));
bench('calibration_quantile_1m', 300, () => calibration(conf, correct, { binning: 'quantile' }));
bench('fit_temperature_1m', null, () => fitTemperature(conf, correct), 3);

// 2 × 500,000 samples (plain arrays, as the query layer passes them): N(0,1) against N(0.05, 1.1).
const M = 500_000;
const a = Array.from({ length: M }, () => g.normal());
const b = Array.from({ length: M }, () => 0.05 + 1.1 * g.normal());
bench('ks_2x500k', 300, () => ks2samp(a, b));
bench('psi_2x500k', 300, () => psi(a, b));
bench('wasserstein_2x500k', 300, () => wasserstein1(a, b));
bench('drift_summary_2x500k', 300, () => driftSummary(a, b));
// Largest sizes where the p-value is still exact (scipy's method='auto' limit): 10,000 each, equal and unequal.
bench('ks_exact_2x10k', null, () => ks2samp(a.slice(0, 10_000), b.slice(0, 10_000)));
bench('ks_exact_10k_9999', null, () => ks2samp(a.slice(0, 10_000), b.slice(0, 9_999)));

const cats = ['coding', 'math', 'chat', 'safety', 'reasoning', 'writing'];
const ca = Array.from({ length: M }, () => cats[Math.floor(r() * cats.length)]);
const cb = Array.from({ length: M }, () => cats[Math.min(5, Math.floor(r() * r() * 7))]);
bench('chi_square_2x500k', 300, () => chiSquare(ca, cb));

// 100,000 annotations: 20,000 items × 5 of 40 annotators, labels 1-5 with 70% agreement on a latent label.
const annotations: Annotation[] = [];
for (let item = 0; item < 20_000; item++) {
  const truth = 1 + Math.floor(r() * 5);
  const start = Math.floor(r() * 40);
  for (let k = 0; k < 5; k++) {
    const label = r() < 0.7 ? truth : 1 + Math.floor(r() * 5);
    annotations.push({ item: `i${item}`, annotator: `a${(start + k * 7) % 40}`, label });
  }
}
bench('krippendorff_nominal_100k', 300, () => krippendorffAlpha(annotations, 'nominal'));
bench('krippendorff_interval_100k', 300, () => krippendorffAlpha(annotations, 'interval'));
bench('agreement_summary_100k', null, () => agreementSummary(annotations));
bench('pairwise_kappa_100k', null, () => pairwiseKappa(annotations));
