/** Compact, fixed-precision formatting for statistics read-outs ("—" for missing). */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  if (value !== 0 && Math.abs(value) < 10 ** -digits) {
    return value.toExponential(1);
  }
  return value.toFixed(digits);
}

export function fmtCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) {
    return '—';
  }
  if (Math.abs(n) >= 1e6) {
    return `${(n / 1e6).toFixed(1)}M`;
  }
  if (Math.abs(n) >= 1e4) {
    return `${(n / 1e3).toFixed(1)}k`;
  }
  return String(Math.round(n));
}

export function pct(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) {
    return '—';
  }
  return `${(share * 100).toFixed(1)}%`;
}
