// The five record kinds of the wire contract (../shared/DESIGN.md, "Service contract (v1)").
// Every record is normalised at ingest: `ts` is epoch milliseconds, optional fields are filled.

export type Phase = 'data' | 'training' | 'evaluation' | 'deployment';
export const PHASES: readonly Phase[] = ['data', 'training', 'evaluation', 'deployment'];

export interface MetricRecord {
  kind: 'metric';
  run: string;
  name: string;
  value: number;
  step: number | null;
  ts: number;
  phase: Phase;
  labels: Record<string, string>;
}

export interface AnnotationRecord {
  kind: 'annotation';
  dataset: string;
  item: string;
  annotator: string;
  label: string | number;
  ts: number;
}

export interface PredictionRecord {
  kind: 'prediction';
  model: string;
  confidence: number;
  correct: boolean;
  item: string | null;
  ts: number;
}

export interface SampleRecord {
  kind: 'sample';
  feature: string;
  source: string;
  value: number | string;
  ts: number;
}

export interface EventRecord {
  kind: 'event';
  title: string;
  text: string;
  tags: string[];
  phase: Phase | null;
  ts: number;
}

export type RlhfRecord = MetricRecord | AnnotationRecord | PredictionRecord | SampleRecord | EventRecord;
export type RecordKind = RlhfRecord['kind'];
export const RECORD_KINDS: readonly RecordKind[] = ['metric', 'annotation', 'prediction', 'sample', 'event'];
