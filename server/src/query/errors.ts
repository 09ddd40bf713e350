/** A query the client must fix (400): unknown type, bad field, impossible option. */
export class QueryError extends Error {}
