// One union on both sides: the service answers exactly the contract's query types, its frames carry the
// contract's frame and field names, and every target the committed dashboards store is a valid member of the
// union. (The data source's editor registry is held to the same list in src/datasource.)
import fs from 'node:fs';
import path from 'node:path';
import {
  CALIBRATION_BIN_FIELDS,
  CALIBRATION_SUMMARY_FIELDS,
  CATALOG_RUN_FIELDS,
  DRIFT_HISTOGRAM_FIELDS,
  EVENT_FIELDS,
  FRAMES,
  parseTarget,
  QUERY_TYPES,
  STATUS_FIELDS,
  TIMESERIES_FIELDS,
} from '@rlhf-monitor/contract';
import { post } from '../http/testing';
import { startService, type Service } from '../service';
import { QUERY_MODULES } from '.';

const DASHBOARDS = path.join(__dirname, '../../../dashboards');

/** Every target of the RLHF data source in the committed dashboards (rows' nested panels included). */
function dashboardTargets(): Array<{ file: string; target: Record<string, unknown> }> {
  const out: Array<{ file: string; target: Record<string, unknown> }> = [];
  for (const file of fs.readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(fs.readFileSync(path.join(DASHBOARDS, file), 'utf8'));
    const panels = (d.panels ?? []).flatMap((p: any) => [p, ...(p.panels ?? [])]);
    const rlhf = (t: any) => /humain-rlhf-datasource/.test(JSON.stringify(t.datasource ?? {})) || t.type in FRAMES;
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        if (rlhf(t) && typeof t.type === 'string') {
          out.push({ file, target: t });
        }
      }
    }
    for (const v of d.templating?.list ?? []) {
      if (v.query && typeof v.query === 'object' && rlhf(v)) {
        out.push({ file, target: { type: 'catalog', ...v.query } });
      }
    }
  }
  return out;
}

describe('the query union, service side', () => {
  it('has a module for every contract type and no other', () => {
    expect(Object.keys(QUERY_MODULES).sort()).toEqual([...QUERY_TYPES].sort());
    for (const [type, m] of Object.entries(QUERY_MODULES)) {
      expect(m.type).toBe(type);
    }
  });

  it('every target the committed dashboards store is a member of the union', () => {
    const targets = dashboardTargets();
    expect(targets.length).toBeGreaterThan(50);
    const invalid = targets
      .map(({ file, target }) => ({ file, target, r: parseTarget(target) }))
      .filter(({ r }) => !r.ok)
      .map(({ file, target, r }) => `${file} ${JSON.stringify(target)}: ${!r.ok && r.message}`);
    expect(invalid).toEqual([]);
  });

  describe('frames carry the contract names (demo data)', () => {
    let svc: Service;
    beforeAll(async () => {
      svc = await startService({ demo: true });
      await svc.seeded;
    });
    afterAll(() => svc.close());

    const answer = async (target: Record<string, unknown>) => {
      const r = await post(`${svc.url}/api/v1/query`, {
        from: Date.now() - 7 * 86_400_000,
        queries: [{ refId: 'A', ...target }],
      });
      expect(r.json.results.A.error).toBeUndefined();
      return r.json.results.A.frames as Array<{ schema: { name: string; fields: Array<{ name: string }> } }>;
    };
    const fieldsOf = (frames: any[], name: string) =>
      frames.find((f) => f.schema.name === name)!.schema.fields.map((f: { name: string }) => f.name);

    it.each([
      ['calibration', { type: 'calibration', model: 'reward-model', interval: '1d' }],
      ['drift', { type: 'drift', feature: 'response_length', reference: 'training', current: 'production' }],
      ['agreement', { type: 'agreement', dataset: 'prefs-helpfulness' }],
      ['health', { type: 'health', run: 'ppo-llama3-8b' }],
      ['status', { type: 'status' }],
      ['events', { type: 'events' }],
    ] as const)('%s frames are named as FRAMES says', async (type, target) => {
      const names = new Set((await answer(target)).map((f) => f.schema.name));
      const expected = Object.values(FRAMES[type]).filter(
        (n) => type !== 'drift' || ['summary', 'histogram'].includes(n)
      );
      expect([...names].sort()).toEqual(expect.arrayContaining(expected.sort()));
      expect([...names].filter((n) => !Object.values(FRAMES[type]).includes(n as never))).toEqual([]);
    });

    it('fields the panels and dashboards read are where the contract says', async () => {
      const cal = await answer({ type: 'calibration', model: 'reward-model' });
      expect(fieldsOf(cal, 'summary')).toEqual(expect.arrayContaining([...CALIBRATION_SUMMARY_FIELDS]));
      expect(fieldsOf(cal, 'bins')).toEqual([...CALIBRATION_BIN_FIELDS]);
      const drift = await answer({
        type: 'drift',
        feature: 'response_length',
        reference: 'training',
        current: 'production',
      });
      expect(fieldsOf(drift, 'histogram')).toEqual([...DRIFT_HISTOGRAM_FIELDS]);
      expect(fieldsOf(await answer({ type: 'status' }), 'status')).toEqual([...STATUS_FIELDS]);
      expect(fieldsOf(await answer({ type: 'events' }), 'events')).toEqual([...EVENT_FIELDS]);
      expect(fieldsOf(await answer({ type: 'catalog', of: 'runs', detail: true }), 'runs')).toEqual([
        ...CATALOG_RUN_FIELDS,
      ]);
      const ts = await answer({ type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/kl' });
      expect(ts[0].schema.fields.map((f) => f.name)).toEqual([...TIMESERIES_FIELDS]);
    });
  });
});
