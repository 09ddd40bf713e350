// Runs the simulator against the wall clock: on an empty store it seeds the last seven days, then every few
// seconds advances to "now" and ingests what happened. Everything goes through the `ingest` function it is
// given - the same validation and storage path as POST /api/v1/ingest - never into the store directly.
import type { Store } from '../store/types';
import { createSimulator } from './simulator';
import { CADENCE, DAY, HOUR, TIMELINE } from './timeline';
import { PPO_RUN, PPO_STEPS_PER_LOG } from './training';

export interface DemoOptions {
  /** Validates and stores a batch (all-or-nothing); resolves to the number stored. */
  ingest: (raw: unknown[]) => Promise<number>;
  seed: number;
  now?: () => number;
  /** Live tick (ms), default 5000. */
  intervalMs?: number;
  /** Days of history to seed on an empty store, default 7. */
  historyDays?: number;
  /**
   * The store, read-only, to tell an empty store (seed it) from one the demo already filled (continue its
   * timeline from where it stopped, seeding nothing). Without it every start seeds.
   */
  store?: Pick<Store, 'counts' | 'latest'>;
  onError?: (e: unknown) => void;
}

export interface Demo {
  /** Resolves once the history is stored (rejects if seeding failed). */
  seeded: Promise<void>;
  /** Stops the live loop and waits for an in-flight batch. */
  stop(): Promise<void>;
  /** The simulation's start (day 0 of the story), once known; the demo exporters follow the same story. */
  storyStart(): number | undefined;
}

const BATCH = 2000;

/**
 * Where a demo that already wrote to this store left off: its start is recoverable from the PPO run's
 * `max_steps` series (logged every CADENCE.trainingLog from start + TIMELINE.ppoStart) and the newest point.
 */
async function resumePoint(store: DemoOptions['store'], now: number): Promise<{ start: number; from: number } | null> {
  if (!store) {
    return null;
  }
  const counts = await store.counts();
  if (Object.values(counts).every((n) => n === 0)) {
    return null;
  }
  const latest = await store.latest({ phase: 'training' });
  const ppo = latest.find((p) => p.run === PPO_RUN && p.name === 'max_steps');
  if (ppo && ppo.step !== null) {
    const newest = Math.min(now, Math.max(ppo.ts, ...(await store.latest({})).map((p) => p.ts)));
    // Log i (step 10 i) is at start + ppoStart + (i - 1) * trainingLog, plus the stall's length once it happened.
    const i = ppo.step / PPO_STEPS_PER_LOG;
    const noStall = ppo.ts - TIMELINE.ppoStart - (i - 1) * CADENCE.trainingLog;
    const start = ppo.ts >= noStall + TIMELINE.ppoStallAt ? noStall - TIMELINE.ppoStallFor : noStall;
    return { start, from: newest };
  }
  // Somebody else's data: leave the history alone and simulate from now on.
  return { start: now - 7 * DAY, from: now };
}

export function startDemo(o: DemoOptions): Demo {
  const now = o.now ?? Date.now;
  const intervalMs = o.intervalMs ?? 5000;
  const onError =
    o.onError ?? ((e: unknown) => console.error('demo: ingest failed:', e instanceof Error ? e.message : e));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let storyStart: number | undefined;

  const send = async (records: unknown[]) => {
    for (let i = 0; i < records.length && !stopped; i += BATCH) {
      await o.ingest(records.slice(i, i + BATCH));
      // A synchronous store resolves at once: pause briefly so HTTP requests are served while seeding.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  const setup = (async () => {
    const t0 = now();
    const resume = await resumePoint(o.store, t0);
    storyStart = resume?.start ?? t0 - (o.historyDays ?? 7) * DAY;
    const sim = createSimulator({ seed: o.seed, start: storyStart });
    if (resume) {
      sim.advance(resume.from); // replay silently: the store already holds this part
    }
    // Seed in 2-hour slices (~1,000 records) so memory stays flat and queries get answered in between.
    while (!stopped && sim.position < now()) {
      await send(sim.advance(Math.min(now(), sim.position + 2 * HOUR)));
    }
    return sim;
  })();

  const tick = (sim: ReturnType<typeof createSimulator>) => {
    if (stopped) {
      return;
    }
    inFlight = send(sim.advance(now()))
      .catch(onError)
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(() => tick(sim), intervalMs);
        }
      });
  };

  const seeded = setup.then((sim) => {
    if (!stopped) {
      timer = setTimeout(() => tick(sim), intervalMs);
    }
  });
  seeded.catch(onError);

  return {
    seeded,
    storyStart: () => storyStart,
    async stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
      }
      await setup.catch(() => undefined);
      await inFlight;
    },
  };
}
