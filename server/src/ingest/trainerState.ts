import { ValidationError } from './ingest';

/**
 * A Hugging Face `trainer_state.json` as metric records: every finite numeric key of every `log_history`
 * entry becomes a metric at that entry's `step`, names unchanged (TRL, OpenRLHF and veRL names included).
 * `step` and `epoch` are coordinates, not metrics, except that `epoch` is kept as a metric too (progress).
 * `max_steps` is emitted once so the ETA can be computed.
 */
export function trainerStateToRecords(text: string, run: string | undefined, now = Date.now()): unknown[] {
  if (!run) {
    throw new ValidationError('query parameter "run" is required: POST /api/v1/import/trainer-state?run=NAME');
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`body is not valid JSON: ${(e as Error).message}; send the trainer_state.json file`);
  }
  const history = (state as { log_history?: unknown })?.log_history;
  if (!Array.isArray(history)) {
    throw new ValidationError('expected a trainer_state.json object with a "log_history" array');
  }
  const records: unknown[] = [];
  let lastStep = 0;
  history.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new ValidationError(`log_history[${i}] is not an object`);
    }
    const e = entry as Record<string, unknown>;
    const step = typeof e.step === 'number' && Number.isInteger(e.step) && e.step >= 0 ? e.step : undefined;
    if (step === undefined) {
      throw new ValidationError(`log_history[${i}]: "step" must be an integer >= 0`);
    }
    lastStep = Math.max(lastStep, step);
    for (const [name, value] of Object.entries(e)) {
      if (name !== 'step' && typeof value === 'number' && Number.isFinite(value)) {
        records.push({ kind: 'metric', run, name, value, step, phase: 'training', ts: now });
      }
    }
  });
  const maxSteps = (state as { max_steps?: unknown }).max_steps;
  if (typeof maxSteps === 'number' && maxSteps > 0) {
    records.push({
      kind: 'metric',
      run,
      name: 'max_steps',
      value: maxSteps,
      step: lastStep,
      phase: 'training',
      ts: now,
    });
  }
  return records;
}
