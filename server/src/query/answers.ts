// One computation for identical targets: a dashboard's panels often ask the same question (the drift of one
// feature for its histogram, the PSI table and the severity stat; one dataset's agreement for five stats), and
// Grafana sends them together. A target's answer is kept for a few seconds, keyed by everything it depends on:
// the target as validated (Grafana's own fields, refId and `frames` aside), the range, maxDataPoints and the
// data version (every stored batch changes it, so an answer never outlives the data it was computed from).
import { type FrameJSON, parseTarget } from '@rlhf-monitor/contract';
import { shortLived } from './memo';
import type { QueryContext } from './types';

/** Longer than one dashboard refresh takes to arrive, shorter than any refresh interval Grafana offers (5 s). */
export const ANSWER_TTL_MS = 4_000;

const answers = shortLived<FrameJSON[]>({ ttlMs: ANSWER_TTL_MS, max: 256 });

type Target = { type: string; refId?: string; frames?: unknown } & Record<string, unknown>;
type Run = (target: Target, ctx: QueryContext) => Promise<FrameJSON[]>;

const withRefId = (f: FrameJSON, refId: string): FrameJSON =>
  f.schema.refId === refId ? f : { ...f, schema: { ...f.schema, refId } };

/**
 * `run(target, ctx)`, shared with identical targets asked within ANSWER_TTL_MS: the frames come back with this
 * target's refId and only those it names in `frames`. `memoKey` identifies the store (one memo per service).
 */
export async function sharedAnswer(
  memoKey: object,
  dataVersion: number,
  target: Target,
  ctx: QueryContext,
  run: Run
): Promise<FrameJSON[]> {
  const parsed = parseTarget(target);
  if (!parsed.ok) {
    return run(target, ctx); // its error, as runQuery words it
  }
  const { refId: _refId, frames: only, ...question } = parsed.target;
  const { frames: _frames, ...all } = target;
  const key = JSON.stringify([dataVersion, ctx.range.from, ctx.range.to, ctx.maxDataPoints, question]);
  let mine = false;
  const compute = async () => {
    mine = true;
    return run(all, ctx);
  };
  let frames: FrameJSON[];
  try {
    frames = await answers(memoKey, key, compute);
  } catch (e) {
    if (!mine) {
      return run(target, ctx); // another target's failure names that target: fail in our own words
    }
    throw e;
  }
  return (only ? frames.filter((f) => only.includes(f.schema.name ?? '')) : frames).map((f) => withRefId(f, ctx.refId));
}
