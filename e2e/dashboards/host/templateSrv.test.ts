import { ALL, formatValue, HostTemplateSrv } from './templateSrv';
import { applyRegex, sortValues, splitCustom } from './variables';

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
