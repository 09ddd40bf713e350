// The demo pipeline as a pure function of (seed, start, time): no clock, no I/O. The runner decides when to
// call `advance`; the same seed and start give the same records however the time is sliced.
import { dataPhase } from './data';
import { deploymentPhase } from './deployment';
import { evaluationPhase } from './evaluation';
import { playgroundPhase } from './playground';
import { createRng } from './random';
import { runUntil, type WireRecord } from './schedule';
import { trainingPhase } from './training';

export interface Simulator {
  readonly start: number;
  /** Time (ms) up to which records have been produced. */
  readonly position: number;
  /** Raw wire records (kind, ts in epoch ms) of everything that happened in (position, toMs]; ts never exceeds toMs. */
  advance(toMs: number): WireRecord[];
}

export function createSimulator(o: { seed: number; start: number }): Simulator {
  const root = createRng(o.seed);
  // One independent random stream per phase, so a change in one phase never reshuffles another.
  const processes = [
    ...dataPhase(root.fork(), o.start),
    ...trainingPhase(root.fork(), o.start),
    ...evaluationPhase(root.fork(), o.start),
    ...deploymentPhase(root.fork(), o.start),
    // Last, so that the four phases' streams stay what they were before it was added.
    ...playgroundPhase(root.fork(), o.start),
  ];
  let position = o.start;
  return {
    start: o.start,
    get position() {
      return position;
    },
    advance(toMs) {
      const out: WireRecord[] = [];
      if (toMs > position) {
        runUntil(processes, toMs, out);
        position = toMs;
      }
      return out;
    },
  };
}
