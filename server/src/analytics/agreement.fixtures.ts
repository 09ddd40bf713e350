// Published reliability data sets, shared by the analytics and the query tests.

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §C: 4 observers, 12 units, missing values
 * (null). Published: nominal α = 0.743, ordinal 0.815, interval 0.849.
 */
export const K2011: Record<string, Array<number | null>> = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  C: [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
};

/**
 * Fleiss (1971) data as tabulated on Wikipedia ("Fleiss' kappa", worked example): 10 subjects (rows), counts of
 * 14 raters over 5 categories (columns). P̄ = 688/1820 = 0.378, P̄e = 4170/19600 = 0.2128, κ = 0.210.
 */
export const FLEISS_1971 = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];
