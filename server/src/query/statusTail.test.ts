// The status query's training rules read each curve's tail, ending at the curve's newest point: a run that
// stopped hours ago costs what a live one does, and judges as if every point of the window had been read.
import { DEFAULT_STATUS_THRESHOLDS, trainingStatus } from '../analytics/status';
import { Ingestor } from '../ingest/ingest';
import { openStore } from '../store/open';
import { overrideStore } from '../store/override';
import type { Store } from '../store/types';
import { phaseStatuses, REWARD_METRICS, KL_METRICS, ENTROPY_METRICS } from './status';

const HOUR = 3_600_000;
const AT = Date.parse('2026-11-25T12:00:00Z');
const N = 20_000;
// The run logged from 5 h to 100 min before AT.
const SPAN = 5 * HOUR - 100 * 60_000;
// Not stalled yet, so the curves (not the stall rule) decide the state.
const TH = { ...DEFAULT_STATUS_THRESHOLDS, stalledAfterMs: 3 * HOUR };

describe('status: training tails', () => {
  let store: Store;
  const curves = { [REWARD_METRICS[0]]: 1, [KL_METRICS[0]]: 0.9, [ENTROPY_METRICS[0]]: 2 };

  beforeAll(async () => {
    store = await openStore(':memory:');
    const ingestor = new Ingestor(store, () => AT);
    await ingestor.load();
    // Three curves of 20k points each; KL climbs past its budget with the reward.
    const records = [];
    for (let i = 0; i < N; i++) {
      const ts = AT - 5 * HOUR + Math.floor((i * SPAN) / N);
      for (const [name, scale] of Object.entries(curves)) {
        const value = name === ENTROPY_METRICS[0] ? scale : scale * (i / N) + 0.01 * Math.sin(i);
        records.push({ kind: 'metric', run: 'stopped', name, value, step: i, ts, phase: 'training' });
      }
    }
    for (let i = 0; i < records.length; i += 10_000) {
      await ingestor.ingest(records.slice(i, i + 10_000));
    }
  });
  afterAll(() => store.close());

  it('reads a bounded tail of each curve and judges as the whole window does', async () => {
    let read = 0;
    const counting = overrideStore(store, {
      async series(q) {
        const s = await store.series(q);
        read += s.reduce((a, x) => a + x.points.length, 0);
        return s;
      },
    });
    const training = (await phaseStatuses(counting, AT, TH)).find((p) => p.phase === 'training')!;

    const range = { from: AT - TH.activeWindowMs, to: AT };
    const whole = async (name: string) => {
      const [s] = await store.series({ runs: ['stopped'], metrics: [name], range });
      return { name, points: s.points };
    };
    const expected = trainingStatus(
      [
        {
          run: 'stopped',
          lastStep: N - 1,
          lastUpdate: AT - 5 * HOUR + Math.floor(((N - 1) * SPAN) / N),
          maxSteps: null,
          reward: await whole(REWARD_METRICS[0]),
          kl: await whole(KL_METRICS[0]),
          entropy: await whole(ENTROPY_METRICS[0]),
        },
      ],
      AT,
      TH
    );
    expect(training).toEqual(expected);
    expect(training.state).not.toBe('ok');
    // Each curve's tail, read in ranges doubling from its newest point (1, 2, 4 min: 700 points), not ranges
    // doubling back from AT until one reaches the run (128 min: the run's last 28 min, 2,800 points).
    expect(read).toBeLessThanOrEqual(3 * 1024);
  });
});
