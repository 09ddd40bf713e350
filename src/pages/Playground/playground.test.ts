import { errorFor, SseDecoder } from './openai';
import { comparisonRecords, conversationId, fnv1a, thumbRecords } from './judgements';
import { parseModels, providerProblem, providersFrom, withProviders } from './settings';

describe('SseDecoder', () => {
  test('joins data lines of one event, keeps partial lines across chunks, ignores comments and other fields', () => {
    const d = new SseDecoder();
    expect(d.push(': keep-alive\n\ndata: {"a"')).toEqual([]);
    expect(d.push(':1}\n\nevent: x\ndata: one\r\ndata: two\r\n\r\n')).toEqual(['{"a":1}', 'one\ntwo']);
    expect(d.push('data: [DONE]')).toEqual([]);
    expect(d.end()).toEqual(['[DONE]']);
  });
});

describe('errorFor', () => {
  test('one sentence per failure, the provider text shown except for 401 (it can echo a part of the key)', () => {
    const body = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-ab***wxyz' } });
    expect(errorFor(401, body, 'OpenAI').message).toBe(
      "OpenAI refused the API key (401). An admin can set the key for OpenAI on the app's configuration page."
    );
    expect(errorFor(400, 'Authentication to data source failed', 'X').kind).toBe('auth');
    expect(errorFor(404, '{"error":{"message":"no model"}}', 'X').message).toMatch(/404.*Provider: no model$/);
    expect(errorFor(429, '', 'X', '12').message).toBe('X is rate-limiting requests (429). Try again in 12 s.');
    expect(errorFor(429, '', 'X', 'Wed, 21 Oct 2015 07:28:00 GMT').message).toMatch(/Wait a little/);
    expect(errorFor(503, 'down', 'X').kind).toBe('server');
    expect(errorFor(504, '', 'X').kind).toBe('timeout');
    expect(errorFor(502, '', 'X').message).toMatch(/could not reach X \(502\)/);
    expect(errorFor(422, 'x'.repeat(500), 'X').message.length).toBeLessThan(260);
  });
});

describe('judgement records', () => {
  const base = { conversation: 'c1', turn: 2, annotator: 'alice', ts: 1_700_000_000_000 };
  test('a comparison: annotation A/B/tie on conversation#turn, win-rate metric 1/0/0.5 with both models', () => {
    const recs = comparisonRecords({ ...base, choice: 'tie', modelA: 'm-a', modelB: 'm-b', reason: '' });
    expect(recs).toEqual([
      { kind: 'annotation', dataset: 'playground', item: 'c1#2', annotator: 'alice', label: 'tie', ts: base.ts },
      {
        kind: 'metric',
        run: 'playground',
        name: 'playground/win_rate',
        value: 0.5,
        ts: base.ts,
        phase: 'evaluation',
        labels: { model_a: 'm-a', model_b: 'm-b' },
      },
    ]);
    const withReason = comparisonRecords({ ...base, choice: 'B', modelA: 'a', modelB: 'b', reason: ' shorter ' });
    expect(withReason[1]).toMatchObject({ value: 0 });
    expect(withReason[2]).toMatchObject({ kind: 'event', text: 'shorter', tags: ['playground', 'judgement'] });
  });
  test('a thumb: annotation up/down on conversation#turn/side', () => {
    expect(thumbRecords({ ...base, side: 'B', thumb: 'down', reason: '' })).toEqual([
      { kind: 'annotation', dataset: 'playground', item: 'c1#2/B', annotator: 'alice', label: 'down', ts: base.ts },
    ]);
  });
  test('the conversation id depends on what was asked of which models, so people judging the same prompt meet', () => {
    expect(fnv1a('')).toBe('811c9dc5'); // FNV-1a 32-bit offset basis
    expect(fnv1a('a')).toBe('e40c292c'); // published FNV-1a test vector
    expect(conversationId('s', 'hi', ['a', 'b'])).toBe(conversationId(' s ', 'hi ', ['a', 'b']));
    expect(conversationId('s', 'hi', ['a', 'b'])).not.toBe(conversationId('s', 'hi', ['b', 'a']));
  });
});

describe('provider settings', () => {
  test('slots round-trip through jsonData and leave the other keys alone', () => {
    const j = withProviders(
      { serviceUrl: 'http://svc', llm3Url: 'http://old' },
      [{ slot: 2, name: ' vLLM ', url: 'http://vllm:8000/v1/', models: ['m'] }],
      true
    );
    expect(j).toEqual({
      serviceUrl: 'http://svc',
      llm2Url: 'http://vllm:8000/v1',
      playgroundProviders: [{ slot: 2, name: 'vLLM', models: ['m'] }],
      playgroundEnabled: true,
    });
    expect(providersFrom(j)).toEqual([{ slot: 2, name: 'vLLM', url: 'http://vllm:8000/v1', models: ['m'] }]);
  });
  test('problems and model lists', () => {
    expect(providerProblem({ name: '', url: 'http://x' })).toMatch(/name/);
    expect(providerProblem({ name: 'a', url: 'api.openai.com' })).toMatch(/absolute/);
    expect(providerProblem({ name: 'a', url: 'ftp://x' })).toMatch(/http/);
    expect(providerProblem({ name: 'a', url: 'https://api.deepseek.com/v1' })).toBeUndefined();
    expect(parseModels('a, b\nb,, c ')).toEqual(['a', 'b', 'c']);
  });
});
