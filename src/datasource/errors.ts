import { isFetchError } from '@grafana/runtime';

// How a failed request looks by the time it reaches the data source: Grafana's data-source proxy turns an
// upstream 401 into `400 Authentication to data source failed` (plain text) and a connection failure into an
// empty 502 (504 on timeout); backendSrv wraps a text body as {message, error: statusText, response}.

export const AUTH_FAILED_TEXT = 'Authentication to data source failed';

export type FailureKind = 'unreachable' | 'wrong-key' | 'service' | 'other';

export interface Failure {
  kind: FailureKind;
  status?: number;
  message: string;
}

const UNREACHABLE_STATUS = new Set([0, 502, 503, 504]);

export function classifyError(err: unknown): Failure {
  if (!isFetchError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'other', message };
  }
  const { status, statusText } = err;
  const data: Record<string, unknown> =
    err.data && typeof err.data === 'object' ? err.data : { message: err.data === undefined ? '' : String(err.data) };
  const textBody = typeof data.response === 'string' ? data.response.trim() : undefined;
  if (status === 401 || (status === 400 && (textBody ?? data.message) === AUTH_FAILED_TEXT)) {
    const serviceText = textBody === undefined && typeof data.error === 'string' ? `: ${data.error}` : '';
    return {
      kind: 'wrong-key',
      status,
      message: `The RLHF metrics service rejected the API key${serviceText}. Set the key the service was started with (RLHF_API_KEY) in the data source settings.`,
    };
  }
  // The service's own error body, {"error": "..."}, is shown as it is.
  if (textBody === undefined && typeof data.error === 'string' && data.error !== '') {
    return { kind: 'service', status, message: data.error };
  }
  if (UNREACHABLE_STATUS.has(status)) {
    return {
      kind: 'unreachable',
      status,
      message: `The RLHF metrics service is unreachable (${status} ${statusText ?? ''}`.trimEnd() + ')',
    };
  }
  const text = textBody || (typeof data.message === 'string' ? data.message : '');
  return { kind: 'other', status, message: text ? `${status} ${text}` : `${status} ${statusText ?? 'request failed'}` };
}

/** The text a panel shows for a failed request. */
export function errorMessage(err: unknown): string {
  return classifyError(err).message;
}
