// The `agreement` query type: inter-annotator agreement of a dataset's `annotation` records in the time range.
// Figures come from analytics/agreement; ordinal/interval alpha need numeric labels (else a 400).
import {
  agreementSummary,
  annotatorAgreement,
  groupByItem,
  labelBalance,
  pairwiseKappa,
  type AlphaLevel,
} from '../analytics/agreement';
import { frame, num, str, FRAMES } from '@rlhf-monitor/contract';
import { QueryError } from './errors';
import type { QueryModule } from './types';

const KAPPA = { min: -1, max: 1, decimals: 3 };

export const agreement: QueryModule<'agreement'> = {
  type: 'agreement',
  async run(t, ctx) {
    const level: AlphaLevel = t.level ?? 'nominal';
    const units = groupByItem(await ctx.store.annotations({ dataset: t.dataset, range: ctx.range }));
    let s;
    try {
      s = agreementSummary(units, level);
    } catch (e) {
      throw new QueryError(`query ${ctx.refId} (agreement): ${(e as Error).message}; use level "nominal"`);
    }
    const pairs = pairwiseKappa(units);
    const annotators = annotatorAgreement(units);
    const labels = labelBalance(units);
    return [
      frame(FRAMES.agreement.summary, ctx.refId, [
        num('krippendorff_alpha', [s.krippendorff_alpha], KAPPA),
        num('fleiss_kappa', [s.fleiss_kappa], KAPPA),
        num('percent_agreement', [s.percent_agreement], { unit: 'percentunit', min: 0, max: 1 }),
        num('items', [s.items]),
        num('annotators', [s.annotators]),
        str('landis_koch', [s.landis_koch]),
        str('level', [level]),
      ]),
      frame(FRAMES.agreement.pairs, ctx.refId, [
        str(
          'annotator_a',
          pairs.map((p) => p.annotator_a)
        ),
        str(
          'annotator_b',
          pairs.map((p) => p.annotator_b)
        ),
        num(
          'cohen_kappa',
          pairs.map((p) => p.cohen_kappa),
          KAPPA
        ),
        num(
          'items',
          pairs.map((p) => p.items)
        ),
      ]),
      frame(FRAMES.agreement.annotators, ctx.refId, [
        str(
          'annotator',
          annotators.map((a) => a.annotator)
        ),
        num(
          'items',
          annotators.map((a) => a.items)
        ),
        num(
          'agreement_with_majority',
          annotators.map((a) => a.agreement_with_majority),
          {
            unit: 'percentunit',
            min: 0,
            max: 1,
          }
        ),
      ]),
      frame(FRAMES.agreement.labels, ctx.refId, [
        str(
          'label',
          labels.map((l) => l.label)
        ),
        num(
          'count',
          labels.map((l) => l.count)
        ),
        num(
          'share',
          labels.map((l) => l.share),
          { unit: 'percentunit', min: 0, max: 1 }
        ),
      ]),
    ];
  },
};
