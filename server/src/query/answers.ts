// One computation for identical targets: a dashboard's panels often ask the same question (the drift of one
// feature for its histogram, the PSI table and the severity stat; one dataset's agreement for five stats), and
// Grafana sends them together. A target's answer is kept for a few seconds, keyed by everything it depends on:
// the target as validated (Grafana's own fields, refId and `frames` aside), the range, maxDataPoints (for the
// types that thin to it) and the version of the data it reads (every stored batch of those kinds changes it, so
// an answer never outlives the data it was computed from).
import { type FrameJSON, parseTarget, type QueryType, type RecordKind } from '@rlhf-monitor/contract';
import { shortLived } from './memo';
import type { QueryContext } from './types';

/**
 * The records each query type reads: its answer is shared while no record of these kinds is stored (the demo and
 * a live trainer log metrics every second; an agreement answer need not wait for the next annotation to change).
 * Types not named read several kinds (status, catalog).
 */
const READS: Partial<Record<QueryType, readonly RecordKind[]>> = {
  timeseries: ['metric'],
  health: ['metric'],
  calibration: ['prediction'],
  drift: ['sample'],
  agreement: ['annotation'],
  events: ['event'],
};

/** Query types whose answer depends on maxDataPoints (they downsample to it). */
const DRAWN_TO_WIDTH = new Set<string>(['timeseries', 'health']);

/** The kinds of record a target of `type` reads; undefined for every kind. */
// Own keys only: a target's type is user input (`__proto__`, `valueOf`).
export const readsOf = (type: string): readonly RecordKind[] | undefined =>
  Object.hasOwn(READS, type) ? READS[type as QueryType] : undefined;

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
  // Only the curve types thin to the panel's width: the others' answers are the same at any maxDataPoints.
  const width = DRAWN_TO_WIDTH.has(question.type) ? ctx.maxDataPoints : null;
  const key = JSON.stringify([dataVersion, ctx.range.from, ctx.range.to, width, question]);
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
