// The five record kinds of the wire contract (docs/contract.md, "Records"). One TypeBox definition per kind
// gives both the JSON Schema that the service compiles with Ajv and the TypeScript types: they cannot drift.
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PHASES, type Phase } from './phases';

/** Limits keep one bad client from filling the store with megabyte names. */
export const MAX_NAME = 512;
export const MAX_TEXT = 65_536;
export const MAX_TAGS = 64;
export const MAX_LABELS = 32;

const Name = Type.String({ minLength: 1, maxLength: MAX_NAME });
/** RFC 3339 string or epoch milliseconds; checked further by the service (real calendar dates only). */
const Ts = Type.Union([Type.Number(), Type.String()]);
const PhaseField = Type.Unsafe<Phase>({ type: 'string', enum: [...PHASES] });
const Labels = Type.Unsafe<Record<string, string>>({
  type: 'object',
  maxProperties: MAX_LABELS,
  propertyNames: { maxLength: MAX_NAME },
  additionalProperties: { type: 'string', maxLength: MAX_NAME },
});

/** What a client sends, per kind (optional fields get defaults at ingest). */
export const RECORD_SCHEMAS = {
  metric: Type.Object({
    kind: Type.Literal('metric'),
    run: Name,
    name: Name,
    value: Type.Number(),
    // Safe integers only: 2^53 and above are not exact in JSON numbers, and PostgreSQL's BIGINT ends at 2^63.
    step: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    ts: Type.Optional(Ts),
    phase: Type.Optional(PhaseField),
    labels: Type.Optional(Labels),
  }),
  annotation: Type.Object({
    kind: Type.Literal('annotation'),
    dataset: Name,
    item: Name,
    annotator: Name,
    label: Type.Union([Type.String({ minLength: 1, maxLength: MAX_NAME }), Type.Number()]),
    ts: Type.Optional(Ts),
  }),
  prediction: Type.Object({
    kind: Type.Literal('prediction'),
    model: Name,
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    correct: Type.Union([Type.Boolean(), Type.Literal(0), Type.Literal(1)]),
    item: Type.Optional(Name),
    ts: Type.Optional(Ts),
  }),
  sample: Type.Object({
    kind: Type.Literal('sample'),
    feature: Name,
    source: Name,
    value: Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: MAX_NAME })]),
    ts: Type.Optional(Ts),
  }),
  event: Type.Object({
    kind: Type.Literal('event'),
    title: Name,
    text: Type.Optional(Type.String({ maxLength: MAX_TEXT })),
    tags: Type.Optional(Type.Array(Name, { maxItems: MAX_TAGS })),
    phase: Type.Optional(PhaseField),
    ts: Type.Optional(Ts),
  }),
} satisfies Record<string, TSchema>;

export type RecordKind = keyof typeof RECORD_SCHEMAS;
export const RECORD_KINDS = Object.keys(RECORD_SCHEMAS) as RecordKind[];

/** A record as a client sends it. */
export type WireRecord = { [K in RecordKind]: Static<(typeof RECORD_SCHEMAS)[K]> }[RecordKind];
type Wire<K extends RecordKind> = Static<(typeof RECORD_SCHEMAS)[K]>;

// A record as stored and queried: `ts` in epoch milliseconds, every optional field filled.
export type MetricRecord = Omit<Wire<'metric'>, 'step' | 'ts' | 'phase' | 'labels'> & {
  step: number | null;
  ts: number;
  phase: Phase;
  labels: Record<string, string>;
};
export type AnnotationRecord = Omit<Wire<'annotation'>, 'ts'> & { ts: number };
export type PredictionRecord = Omit<Wire<'prediction'>, 'correct' | 'item' | 'ts'> & {
  correct: boolean;
  item: string | null;
  ts: number;
};
export type SampleRecord = Omit<Wire<'sample'>, 'ts'> & { ts: number };
export type EventRecord = Omit<Wire<'event'>, 'text' | 'tags' | 'phase' | 'ts'> & {
  text: string;
  tags: string[];
  phase: Phase | null;
  ts: number;
};
export type RlhfRecord = MetricRecord | AnnotationRecord | PredictionRecord | SampleRecord | EventRecord;
