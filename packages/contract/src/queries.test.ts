import { parseInterval, parseTarget, QUERY_SCHEMAS, QUERY_TYPES } from './queries';

describe('query targets', () => {
  it('parses durations', () => {
    expect(parseInterval('6h')).toBe(6 * 3_600_000);
    expect(parseInterval('30m')).toBe(1_800_000);
    expect(parseInterval('1d')).toBe(86_400_000);
    expect(parseInterval('1w')).toBe(604_800_000);
    expect(parseInterval('1.5s')).toBe(1500);
    expect(parseInterval('250')).toBe(250);
    expect(parseInterval(60_000)).toBe(60_000);
    expect(parseInterval('soon')).toBeNaN();
    expect(parseInterval('6 hours')).toBeNaN();
  });

  it('validates fields the way Grafana stores them', () => {
    const s = QUERY_SCHEMAS.calibration;
    expect(s.parse({ type: 'calibration', model: 'rm', bins: '4', interval: '2h', temperature: 'true' })).toEqual({
      type: 'calibration',
      model: 'rm',
      bins: 4,
      interval: 7_200_000,
      temperature: true,
    });
    expect(s.safeParse({ type: 'calibration', model: 'rm', bins: 101 }).success).toBe(false);
    expect(s.safeParse({ type: 'calibration', model: 'rm', bins: '2.5' }).success).toBe(false); // not an integer
    expect(s.safeParse({ type: 'calibration', model: 'rm', interval: '10ms' }).success).toBe(false); // below 1 s
    expect(s.safeParse({ type: 'calibration', model: 'rm', temperature: 'yes' }).success).toBe(false);
    expect(s.safeParse({ type: 'calibration', model: 'rm', bins: '' }).success).toBe(false);
  });

  it('ignores the fields Grafana adds and names the field that is wrong', () => {
    expect(parseTarget({ type: 'status', refId: 'A', datasource: { uid: 'x' } })).toEqual({
      ok: true,
      target: { type: 'status', refId: 'A' },
    });
    expect(parseTarget({ type: 'health', run: '' })).toEqual({
      ok: false,
      message: '(health): field "run" String must contain at least 1 character(s)',
    });
  });

  it('refuses types that only look like keys of an object', () => {
    for (const type of ['__proto__', 'constructor', 'toString', 'valueOf', 42, undefined]) {
      const r = parseTarget({ type });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.message).toContain(`expected one of ${QUERY_TYPES.join(', ')}`);
    }
  });
});
