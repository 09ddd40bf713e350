import { z } from 'zod';
import { intervalField, optionalBoolean, optionalNumber, parseInterval } from './options';

describe('analytics target options', () => {
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
    const s = z.object({ n: optionalNumber(1, 10, true), i: intervalField, b: optionalBoolean });
    expect(s.parse({ n: '4', i: '2h', b: 'true' })).toEqual({ n: 4, i: 7_200_000, b: true });
    expect(s.parse({})).toEqual({});
    expect(s.safeParse({ n: 11 }).success).toBe(false);
    expect(s.safeParse({ n: '2.5' }).success).toBe(false); // not an integer
    expect(s.safeParse({ i: '10ms' }).success).toBe(false); // below one second
    expect(s.safeParse({ b: 'yes' }).success).toBe(false);
  });
});
