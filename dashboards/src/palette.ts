// HUMAIN OS colours (docs/design.md, "Look: HUMAIN OS"). Dashboards use them for series and thresholds.

export const TEAL = '#1DB584';
export const TEAL_DARK = '#148f64';
export const TEAL_LIGHT = '#6ee7c5';
export const MUTED = '#6B7280';

export const SUCCESS = '#10B981';
export const WARNING = '#ffc107';
export const ERROR = '#EF4444';

/** Series colours after teal, for panels that draw several named series side by side. */
export const SERIES = [TEAL, '#0a4f39', '#6B7280', '#3b82f6', '#a855f7', '#f59e0b'];
