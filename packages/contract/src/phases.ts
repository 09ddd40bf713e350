/** The four phases of an RLHF pipeline, in pipeline order. */
export const PHASES = ['data', 'training', 'evaluation', 'deployment'] as const;
export type Phase = (typeof PHASES)[number];
