// Distinct names (models, datasets, features, sources) without reading every row: each next value is sought
// through the index that leads with the column (a "loose index scan" as a recursive query), so the cost grows
// with the number of names, not of records. The SQL is the same for SQLite and PostgreSQL; both order the
// result themselves (SQLite by bytes, PostgreSQL with COLLATE "C").

/** SELECT v: the distinct values of `column`, the first column of an index of `table`. */
export function distinctLeading(table: string, column: string): string {
  return `WITH RECURSIVE d(v) AS (
    SELECT (SELECT ${column} FROM ${table} ORDER BY ${column} LIMIT 1)
    UNION ALL
    SELECT (SELECT ${column} FROM ${table} WHERE ${column} > d.v ORDER BY ${column} LIMIT 1) FROM d WHERE d.v IS NOT NULL
  ) SELECT v FROM d WHERE v IS NOT NULL`;
}

/** SELECT v: the distinct values of `second`, the second column of an index (first, second, ...) of `table`. */
export function distinctSecond(table: string, first: string, second: string): string {
  return `WITH RECURSIVE f(k) AS (
    SELECT (SELECT ${first} FROM ${table} ORDER BY ${first} LIMIT 1)
    UNION ALL
    SELECT (SELECT ${first} FROM ${table} WHERE ${first} > f.k ORDER BY ${first} LIMIT 1) FROM f WHERE f.k IS NOT NULL
  ), d(k, v) AS (
    SELECT k, (SELECT ${second} FROM ${table} WHERE ${first} = f.k ORDER BY ${second} LIMIT 1) FROM f WHERE k IS NOT NULL
    UNION ALL
    SELECT k, (SELECT ${second} FROM ${table} WHERE ${first} = d.k AND ${second} > d.v ORDER BY ${second} LIMIT 1)
    FROM d WHERE d.v IS NOT NULL
  ) SELECT DISTINCT v FROM d WHERE v IS NOT NULL`;
}
