/**
 * A target the client must fix: unknown type, bad field, impossible option, or over a limit. It answers that
 * target's refId with `{error, status}` (400 unless said otherwise); the request's other targets still run.
 */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly status = 400
  ) {
    super(message);
  }
}
