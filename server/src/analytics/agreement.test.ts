import {
  labelBalance,
  agreementSummary,
  Annotation,
  annotatorAgreement,
  cohenKappa,
  fleissKappa,
  krippendorffAlpha,
  landisKoch,
  pairwiseKappa,
  percentAgreement,
} from './agreement';
import { FLEISS_1971, K2011 } from './agreement.fixtures';

/** Annotations from a reliability-data matrix: rows = annotators, columns = items, null = missing. */
function fromMatrix(rows: Record<string, Array<number | string | null>>): Annotation[] {
  const out: Annotation[] = [];
  for (const [annotator, values] of Object.entries(rows)) {
    values.forEach((label, i) => {
      if (label !== null) {
        out.push({ item: `u${i + 1}`, annotator, label });
      }
    });
  }
  return out;
}

const K2011_ANNOTATIONS = fromMatrix(K2011);

function fleissAnnotations(): Annotation[] {
  const out: Annotation[] = [];
  FLEISS_1971.forEach((row, i) => {
    let rater = 0;
    row.forEach((count, category) => {
      for (let k = 0; k < count; k++) {
        out.push({ item: `s${i + 1}`, annotator: `r${rater++}`, label: `c${category + 1}` });
      }
    });
  });
  return out;
}

describe('krippendorffAlpha', () => {
  it('reproduces Krippendorff 2011 (missing data)', () => {
    expect(krippendorffAlpha(K2011_ANNOTATIONS, 'nominal')).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(K2011_ANNOTATIONS, 'ordinal')).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(K2011_ANNOTATIONS, 'interval')).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(K2011_ANNOTATIONS)).toBeCloseTo(0.743, 3); // nominal is the default
  });

  it('reproduces Krippendorff 2011 §A (binary, two observers): α = 0.095', () => {
    const data = fromMatrix({ A: [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], B: [1, 1, 1, 0, 0, 1, 0, 0, 0, 0] });
    expect(krippendorffAlpha(data)).toBeCloseTo(0.095, 3);
  });

  it('accepts numeric strings for interval data and rejects other strings', () => {
    const asStrings = K2011_ANNOTATIONS.map((a) => ({ ...a, label: String(a.label) }));
    expect(krippendorffAlpha(asStrings, 'interval')).toBeCloseTo(0.849, 3);
    expect(() => krippendorffAlpha([...asStrings, { item: 'u1', annotator: 'E', label: 'good' }], 'interval')).toThrow(
      /numeric labels/
    );
  });

  it('edge cases', () => {
    expect(krippendorffAlpha([])).toBeNull();
    expect(krippendorffAlpha([{ item: 'x', annotator: 'a', label: 1 }])).toBeNull(); // one item, one value
    const oneAnnotator = K2011_ANNOTATIONS.filter((a) => a.annotator === 'A');
    expect(krippendorffAlpha(oneAnnotator)).toBeNull(); // no pairable unit
    const identical = fromMatrix({ A: [1, 1, 1], B: [1, 1, 1] });
    expect(krippendorffAlpha(identical)).toBeNull(); // no variation: D_e = 0
    expect(krippendorffAlpha(identical, 'interval')).toBeNull();
    // Perfect agreement with variation: α = 1
    expect(krippendorffAlpha(fromMatrix({ A: [1, 2, 3], B: [1, 2, 3] }), 'interval')).toBe(1);
  });

  it('counts a repeated (item, annotator) once, last label wins', () => {
    const repeated = [
      ...K2011_ANNOTATIONS,
      { item: 'u6', annotator: 'A', label: 9 },
      { item: 'u6', annotator: 'A', label: 1 },
    ];
    expect(krippendorffAlpha(repeated)).toBeCloseTo(0.743, 3);
  });
});

describe('fleissKappa and percentAgreement', () => {
  it('reproduces the Fleiss 1971 / Wikipedia example', () => {
    const data = fleissAnnotations();
    expect(fleissKappa(data)).toBeCloseTo(0.21, 3);
    expect(fleissKappa(data)).toBeCloseTo((688 / 1820 - 4170 / 19600) / (1 - 4170 / 19600), 12);
    expect(percentAgreement(data)).toBeCloseTo(688 / 1820, 12);
  });

  it('is null when raters per item differ, or with one rating per item', () => {
    expect(fleissKappa(K2011_ANNOTATIONS)).toBeNull();
    expect(fleissKappa([{ item: 'x', annotator: 'a', label: 'y' }])).toBeNull();
    expect(fleissKappa([])).toBeNull();
    expect(fleissKappa(fromMatrix({ A: ['y', 'y'], B: ['y', 'y'] }))).toBeNull(); // P̄e = 1
  });

  it('percent agreement on a small case and edge cases', () => {
    // item 1: a,a,b -> 1 agreeing pair of 3 = 1/3; item 2: a,a -> 1; item 3 has one rating (ignored). Mean 2/3.
    const data = fromMatrix({ A: ['a', 'a', 'x'], B: ['a', 'a', null], C: ['b', null, null] });
    expect(percentAgreement(data)).toBeCloseTo(2 / 3, 12);
    expect(percentAgreement([])).toBeNull();
    expect(percentAgreement(fromMatrix({ A: [1, 1], B: [1, 1] }))).toBe(1);
  });
});

describe('cohenKappa', () => {
  it('hand-computed 2×2 case', () => {
    // 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    // p_o = 35/50 = 0.7; A says yes 25/50, B 30/50: p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = (0.7−0.5)/(1−0.5) = 0.4
    const a = [...Array(25).fill('yes'), ...Array(25).fill('no')];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')];
    expect(cohenKappa(a, b)).toBeCloseTo(0.4, 12);
  });

  it('perfect, chance-level and degenerate cases', () => {
    expect(cohenKappa(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(1);
    // p_o = 0.5, p_e = 0.5 -> 0
    expect(cohenKappa(['a', 'a', 'b', 'b'], ['a', 'b', 'a', 'b'])).toBe(0);
    expect(cohenKappa([], [])).toBeNull();
    expect(cohenKappa(['a', 'a'], ['a', 'a'])).toBeNull(); // p_e = 1
  });
});

describe('pairwiseKappa', () => {
  it('builds the pair table over shared items', () => {
    // A-B share u1..u4: labels A=x,x,y,y B=x,y,y,y: p_o = 3/4, p_e = ½·¼ + ½·¾ = ½, κ = 0.5
    // A-C share u1, u2: A=x,x C=x,x -> p_e = 1 -> null; B-C share u1, u2: B=x,y C=x,x -> p_o ½, p_e ½ -> 0
    const data = fromMatrix({ A: ['x', 'x', 'y', 'y'], B: ['x', 'y', 'y', 'y'], C: ['x', 'x', null, null] });
    expect(pairwiseKappa(data)).toEqual([
      { annotator_a: 'A', annotator_b: 'B', cohen_kappa: 0.5, items: 4 },
      { annotator_a: 'A', annotator_b: 'C', cohen_kappa: null, items: 2 },
      { annotator_a: 'B', annotator_b: 'C', cohen_kappa: 0, items: 2 },
    ]);
  });

  it('is empty for one annotator', () => {
    expect(pairwiseKappa(K2011_ANNOTATIONS.filter((a) => a.annotator === 'B'))).toEqual([]);
  });
});

describe('annotatorAgreement', () => {
  it('scores each annotator against the leave-one-out majority', () => {
    // u1: A=x B=x C=y -> A agrees (others x,y tie, x among top), B agrees, C: others x,x -> disagrees
    // u2: A=x B=y -> A: others {y} -> no; B: others {x} -> no.  u3: C alone -> not shared.
    const data = fromMatrix({ A: ['x', 'x', null], B: ['x', 'y', null], C: ['y', null, 'z'] });
    expect(annotatorAgreement(data)).toEqual([
      { annotator: 'A', items: 2, agreement_with_majority: 0.5 },
      { annotator: 'B', items: 2, agreement_with_majority: 0.5 },
      { annotator: 'C', items: 2, agreement_with_majority: 0 },
    ]);
    expect(annotatorAgreement([{ item: 'i', annotator: 'solo', label: 1 }])).toEqual([
      { annotator: 'solo', items: 1, agreement_with_majority: null },
    ]);
  });
});

describe('landisKoch', () => {
  it('names the bands', () => {
    expect(landisKoch(-0.1)).toBe('poor');
    expect(landisKoch(0)).toBe('slight');
    expect(landisKoch(0.2)).toBe('slight');
    expect(landisKoch(0.21)).toBe('fair');
    expect(landisKoch(0.4)).toBe('fair');
    expect(landisKoch(0.6)).toBe('moderate');
    expect(landisKoch(0.7)).toBe('substantial');
    expect(landisKoch(0.81)).toBe('almost perfect');
    expect(landisKoch(1)).toBe('almost perfect');
  });
});

describe('agreementSummary', () => {
  it('summarises the Krippendorff data', () => {
    expect(agreementSummary(K2011_ANNOTATIONS)).toEqual({
      krippendorff_alpha: expect.closeTo(0.743, 3),
      fleiss_kappa: null,
      percent_agreement: expect.any(Number),
      items: 12,
      annotators: 4,
      landis_koch: 'substantial',
    });
    expect(agreementSummary(K2011_ANNOTATIONS, 'interval').landis_koch).toBe('almost perfect');
  });

  it('empty input', () => {
    expect(agreementSummary([])).toEqual({
      krippendorff_alpha: null,
      fleiss_kappa: null,
      percent_agreement: null,
      items: 0,
      annotators: 0,
      landis_koch: null,
    });
  });
});

describe('labelBalance', () => {
  it('counts every rating once, most frequent first', () => {
    const ann = [
      { item: 'i1', annotator: 'a', label: 'A' },
      { item: 'i1', annotator: 'b', label: 'B' },
      { item: 'i2', annotator: 'a', label: 'A' },
      { item: 'i2', annotator: 'c', label: 'A' },
    ];
    expect(labelBalance(ann)).toEqual([
      { label: 'A', count: 3, share: 0.75 },
      { label: 'B', count: 1, share: 0.25 },
    ]);
  });

  it('is empty for no annotations and treats numeric labels as their text', () => {
    expect(labelBalance([])).toEqual([]);
    expect(labelBalance([{ item: 'i', annotator: 'a', label: 1 }])).toEqual([{ label: '1', count: 1, share: 1 }]);
  });
});
