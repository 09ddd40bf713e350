import { fmt } from '../shared/format';
import type { FeatureStats } from './types';

/** KS statistic (with its p-value when known); categorical features have a chi-square p-value instead. */
export function testCell(f: FeatureStats): string {
  if (f.ks_statistic !== null) {
    return f.ks_pvalue !== null ? `${fmt(f.ks_statistic)} (p ${fmt(f.ks_pvalue, 2)})` : fmt(f.ks_statistic);
  }
  return f.chi_square_pvalue !== null && f.chi_square_pvalue !== undefined
    ? `χ² p ${fmt(f.chi_square_pvalue, 2)}`
    : '—';
}
