// The bands that judge a figure, shared by the service's status rules, the panels' colours, the dashboards'
// thresholds and the alert rules, so that one page never gives two answers.

/** PSI bands in common industry use (Siddiqi 2006, "Credit Risk Scorecards"): < 0.1 none, 0.1-0.25 moderate, > 0.25 major. */
export const PSI_BANDS = { moderate: 0.1, major: 0.25 } as const;

/** Expected calibration error: above 0.1 the evaluation phase is a warning; twice that is critical. */
export const ECE_BANDS = { warning: 0.1, critical: 0.2 } as const;
export const MCE_BANDS = { warning: 0.15, critical: 0.3 } as const;
/** Brier 0.25 is what a constant 0.5 forecast scores on balanced labels. */
export const BRIER_BANDS = { warning: 0.2, critical: 0.25 } as const;

/** Serving SLOs: error ratio critical above 2% (warning above half of it) and p99 latency above 2 s. */
export const SERVING_SLO = { errorRate: 0.02, latencyP99Ms: 2000, warningFraction: 0.5 } as const;

/**
 * The windows the service judges phase states on by default (RLHF_STATUS_RECENT_HOURS / _REFERENCE_HOURS override
 * them): agreement, calibration and the drift current population over the last `recent` hours, the drift reference
 * population over the last `reference` hours. The Overview's headline stats read the same windows.
 */
export const STATUS_WINDOW_HOURS = { recent: 24, reference: 7 * 24 } as const;

export type Severity = 'none' | 'moderate' | 'major';
export const SEVERITY_RANK: Record<Severity, number> = { none: 0, moderate: 1, major: 2 };

export function severity(psi: number, bands: { moderate: number; major: number } = PSI_BANDS): Severity {
  if (!(psi >= bands.moderate)) {
    return 'none';
  }
  return psi > bands.major ? 'major' : 'moderate';
}

export const PHASE_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type PhaseState = (typeof PHASE_STATES)[number];
/** The numeric code of a state, as exported to Prometheus (rlhf_phase_state). */
export const STATE_CODE: Record<PhaseState, number> = { ok: 0, warning: 1, critical: 2, unknown: -1 };
