import { ALL, formatValue, HostTemplateSrv } from './templateSrv';
import { applyRegex, resolveVariables, sortValues, splitCustom } from './variables';

const srv = () =>
  new HostTemplateSrv([
    {
      name: 'run',
      type: 'query',
      current: 'ppo-llama3-8b',
      options: ['dpo-llama3-8b', 'ppo-llama3-8b'],
      multi: false,
      includeAll: false,
    },
    { name: 'runs', type: 'query', current: ['a', 'b'], options: ['a', 'b', 'c'], multi: true, includeAll: true },
    { name: 'any', type: 'custom', current: ALL, options: ['x', 'y'], multi: true, includeAll: true, allValue: '*' },
  ]);

describe('host template variables (Grafana TemplateSrv semantics)', () => {
  test('$var, ${var} and [[var]] resolve; unknown variables stay as written', () => {
    expect(srv().replace('$run/${run}/[[run]]/$nope')).toBe('ppo-llama3-8b/ppo-llama3-8b/ppo-llama3-8b/$nope');
  });

  test('multi-value: glob by default, explicit formats, and a format function', () => {
    expect(srv().replace('$runs')).toBe('{a,b}');
    expect(srv().replace('${runs:csv}')).toBe('a,b');
    expect(srv().replace('$runs', undefined, 'pipe')).toBe('a|b');
    expect(srv().replace('$runs', undefined, (v: string | string[]) => `<${String(v)}>`)).toBe('<a,b>');
  });

  test('All uses the custom all value as it is, else every option', () => {
    expect(srv().replace('$any', undefined, 'csv')).toBe('*');
    const s = srv();
    s.setValue('runs', ALL);
    expect(s.replace('$runs', undefined, 'csv')).toBe('a,b,c');
  });

  test('scoped variables win over dashboard variables', () => {
    expect(srv().replace('$run', { run: { text: 'x', value: 'x' } })).toBe('x');
  });

  test('a path into an object-valued scoped variable, as stat titles use it', () => {
    const scoped = { __field: { text: 'Field', value: { name: 'value', labels: { version: 'v2' } } } };
    expect(srv().replace('p99 ${__field.labels.version}', scoped)).toBe('p99 v2');
    expect(srv().replace('${__field.labels.track}', scoped)).toBe('');
  });

  test('data macros read the field and row a panel passes as __dataContext', () => {
    const frame = { name: 'annotators', fields: [{ name: 'annotator', values: ['ann-eve', 'ann-dario'] }] };
    const field = { name: 'agreement', labels: { version: 'v1' } };
    const vars = { __dataContext: { value: { frame, field, rowIndex: 1 } } } as never;
    expect(srv().replace('${__field.labels.version} ${__data.fields.annotator} ${__series.name}', vars)).toBe(
      'v1 ann-dario annotators'
    );
  });

  // A DateTime as the range needs it (@grafana/data's ESM build does not load in this Node project).
  const dateTime = (ms: number) => ({ valueOf: () => ms }) as never;

  test('data links: ${__value.raw|text|time} of the clicked row, ${__url_time_range}, URI-encoded hrefs', () => {
    const s = srv();
    s.updateTimeRange({ from: dateTime(0), to: dateTime(1000), raw: { from: 'now-7d', to: 'now' } });
    const time = { name: 'last_time', type: 'time', values: [111, 222] };
    const field = {
      name: 'run',
      values: ['ppo-llama3-8b', 'a b/c'],
      display: (v: unknown) => ({ text: `<${String(v)}>`, numeric: NaN }),
    };
    const frame = { name: 'runs', fields: [field, time] };
    const row = (rowIndex: number) => ({ __dataContext: { value: { frame, field, rowIndex } } }) as never;
    expect(s.replace('/d/x?${__url_time_range}&var-run=${__value.raw}', row(0), 'uriencode')).toBe(
      '/d/x?from=now-7d&to=now&var-run=ppo-llama3-8b'
    );
    expect(s.replace('${__value.raw}', row(1), 'percentencode')).toBe('a%20b%2Fc');
    expect(s.replace('${__value.text} ${__value.time}', row(1))).toBe('<a b/c> 222');
    // A reduced value (bar gauge): its number and text; no data context leaves the macro as written.
    const reduced = { __dataContext: { value: { frame, field, calculatedValue: { text: '0.25', numeric: 0.25 } } } };
    expect(s.replace('${__value.raw}|${__value.text}', reduced as never)).toBe('0.25|0.25');
    expect(s.replace('${__value.raw}')).toBe('${__value.raw}');
    // Absolute ranges go as epoch milliseconds.
    s.updateTimeRange({ from: dateTime(5), to: dateTime(9), raw: { from: dateTime(5), to: dateTime(9) } });
    expect(s.replace('${__url_time_range}')).toBe('from=5&to=9');
  });

  test('a textbox variable takes any value from the URL (a drill-down link), else its saved text', async () => {
    const textbox = { type: 'textbox', name: 'feature', query: '', current: { value: '' }, hide: 2 };
    const resolve = (q: string) => resolveVariables([textbox], {} as never, {} as never, new URLSearchParams(q));
    expect(await resolve('var-feature=prompt_length')).toMatchObject({
      variables: [{ name: 'feature', current: 'prompt_length', options: ['prompt_length'] }],
      errors: [],
    });
    expect(await resolve('')).toMatchObject({ variables: [{ name: 'feature', current: '' }], errors: [] });
  });

  test('setValue rejects a variable the dashboard does not have', () => {
    expect(() => srv().setValue('nope', 'x')).toThrow(/no variable "nope"/);
  });

  test('regex format escapes and alternates', () => {
    expect(formatValue(['a.b', 'c'], 'regex')).toBe('(a\\.b|c)');
  });

  test('variable regex, sort and custom values as Grafana applies them', () => {
    expect(applyRegex(['ppo-llama3-8b', 'serve-prod', 'dpo-llama3-8b'], '/^(.*-llama3-8b)$/')).toEqual([
      'ppo-llama3-8b',
      'dpo-llama3-8b',
    ]);
    expect(sortValues(['b', 'a', 'C'], 1)).toEqual(['C', 'a', 'b']);
    expect(sortValues(['10', '9', '100'], 3)).toEqual(['9', '10', '100']);
    expect(splitCustom('training, production,Canary : canary')).toEqual(['training', 'production', 'canary']);
  });
});
