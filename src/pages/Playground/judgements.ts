// A Playground judgement as RLHF records (docs/contract.md, "Records"), sent through the RLHF data source's
// proxy route to the service's POST /api/v1/ingest:
// - `annotation` (dataset `playground`): item `<conversation>#<turn>` labelled A / B / tie for a comparison,
//   item `<conversation>#<turn>/<side>` labelled up / down for a thumb. The conversation id is a hash of what
//   was asked (system prompt, first prompt, models), so people who judge the same prompt rate the same item
//   and Data Collection's agreement query compares them.
// - `sample` per answer: feature `response_length` (completion tokens when the provider reports them, else
//   words), source `playground:<model>`.
// - `metric` per comparison: run `playground`, `playground/win_rate` = 1 (A), 0 (B) or 0.5 (tie), labelled with
//   both models, so Evaluation plots A's win rate over time.
// - `event` with the reason, when one is given (free text does not fit an annotation label).
import type { WireRecord } from '@rlhf-monitor/contract';

export const PLAYGROUND_DATASET = 'playground';
export const WIN_RATE_RUN = 'playground';
export const WIN_RATE_METRIC = 'playground/win_rate';
export const LENGTH_FEATURE = 'response_length';

export type Choice = 'A' | 'B' | 'tie';
export type Thumb = 'up' | 'down';

export interface Answer {
  model: string;
  text: string;
  completionTokens: number | null;
}

/** FNV-1a, 32 bit, as 8 hex digits: a short stable id for a conversation's opening (not a security hash). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function conversationId(systemPrompt: string, firstPrompt: string, models: string[]): string {
  return `c${fnv1a(JSON.stringify([systemPrompt.trim(), firstPrompt.trim(), ...models]))}`;
}

export const turnItem = (conversation: string, turn: number) => `${conversation}#${turn}`;

export function answerLength(a: Answer): number {
  return a.completionTokens ?? a.text.split(/\s+/).filter((w) => w !== '').length;
}

const MAX_NAME = 512;
const clip = (s: string) => (s.length > MAX_NAME ? s.slice(0, MAX_NAME) : s);

/** One `sample` per answer; the page sends it with the first judgement that touches the answer. */
export function lengthSample(a: Answer, ts: number): WireRecord {
  return { kind: 'sample', feature: LENGTH_FEATURE, source: clip(`playground:${a.model}`), value: answerLength(a), ts };
}

function reasonEvent(item: string, annotator: string, label: string, reason: string, ts: number): WireRecord[] {
  const text = reason.trim();
  if (text === '') {
    return [];
  }
  return [
    {
      kind: 'event',
      title: clip(`Playground: ${annotator} chose ${label} on ${item}`),
      text,
      tags: [PLAYGROUND_DATASET, 'judgement'],
      phase: 'data',
      ts,
    },
  ];
}

export interface ComparisonJudgement {
  conversation: string;
  turn: number;
  annotator: string;
  choice: Choice;
  modelA: string;
  modelB: string;
  reason: string;
  ts: number;
}

export function comparisonRecords(j: ComparisonJudgement): WireRecord[] {
  const item = turnItem(j.conversation, j.turn);
  return [
    { kind: 'annotation', dataset: PLAYGROUND_DATASET, item, annotator: clip(j.annotator), label: j.choice, ts: j.ts },
    {
      kind: 'metric',
      run: WIN_RATE_RUN,
      name: WIN_RATE_METRIC,
      value: j.choice === 'A' ? 1 : j.choice === 'B' ? 0 : 0.5,
      ts: j.ts,
      phase: 'evaluation',
      labels: { model_a: clip(j.modelA), model_b: clip(j.modelB) },
    },
    ...reasonEvent(item, j.annotator, j.choice, j.reason, j.ts),
  ];
}

export interface ThumbJudgement {
  conversation: string;
  turn: number;
  /** 'A' / 'B' in compare mode; 'A' for the single answer of chat mode. */
  side: 'A' | 'B';
  annotator: string;
  thumb: Thumb;
  reason: string;
  ts: number;
}

export function thumbRecords(j: ThumbJudgement): WireRecord[] {
  const item = `${turnItem(j.conversation, j.turn)}/${j.side}`;
  return [
    { kind: 'annotation', dataset: PLAYGROUND_DATASET, item, annotator: clip(j.annotator), label: j.thumb, ts: j.ts },
    ...reasonEvent(item, j.annotator, j.thumb, j.reason, j.ts),
  ];
}
