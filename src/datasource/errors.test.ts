import { classifyError, errorMessage } from './errors';

// Errors as backendSrv hands them over (see testing/grafanaProxy.ts for where each shape comes from).
const fetchError = (status: number, statusText: string, data: unknown) => ({
  status,
  statusText,
  data,
  config: { url: '' },
});

test("the service's {error} body is the message, verbatim", () => {
  const err = fetchError(400, 'Bad Request', {
    error: 'query A (drift): field "feature" Required',
    message: 'query A (drift): field "feature" Required',
  });
  expect(classifyError(err)).toEqual({
    kind: 'service',
    status: 400,
    message: 'query A (drift): field "feature" Required',
  });
});

test("Grafana's proxy turns the service's 401 into a text 400: reported as a wrong key", () => {
  const text = 'Authentication to data source failed';
  const err = fetchError(400, 'Bad Request', { message: text, error: 'Bad Request', response: text });
  expect(classifyError(err).kind).toBe('wrong-key');
  expect(errorMessage(err)).toMatch(/rejected the API key/);
  // Without the proxy (direct 401 with the service's own text), the service's words are kept.
  const direct = fetchError(401, 'Unauthorized', {
    error: 'wrong API key: the Bearer token does not match RLHF_API_KEY',
  });
  expect(errorMessage(direct)).toContain('wrong API key: the Bearer token does not match RLHF_API_KEY');
});

test('an empty 502/504 from the proxy is unreachable', () => {
  expect(
    classifyError(fetchError(502, 'Bad Gateway', { message: 'Bad Gateway', error: 'Bad Gateway', response: '' }))
  ).toMatchObject({
    kind: 'unreachable',
    status: 502,
  });
  expect(classifyError(fetchError(504, 'Gateway Timeout', '')).kind).toBe('unreachable');
});

test('other failures keep their text', () => {
  expect(errorMessage(fetchError(403, 'Forbidden', { message: 'plugin proxy route access denied' }))).toBe(
    '403 plugin proxy route access denied'
  );
  expect(errorMessage(new Error('boom'))).toBe('boom');
});
