// One page, one answer: the Overview's PSI stats (as generated in dashboards/overview.json, with their relative
// time applied as Grafana does) show exactly the PSI that the Evaluation state and the rlhf_drift_psi gauge judge.
import fs from 'node:fs';
import path from 'node:path';
import { parseInterval } from '@rlhf-monitor/contract';
import { fieldValues, post } from '../http/testing';
import { startService, type Service } from '../service';

const OVERVIEW = path.resolve(__dirname, '../../../dashboards/overview.json');

interface Panel {
  title: string;
  timeFrom?: string;
  targets?: Array<Record<string, unknown>>;
}

const psiStats = (): Panel[] =>
  (JSON.parse(fs.readFileSync(OVERVIEW, 'utf8')).panels as Panel[]).filter((p) => /drift \(PSI\)$/.test(p.title));

describe('Overview PSI stats and the Evaluation state (demo data)', () => {
  // A still clock: the demo seeds its week up to it and adds nothing after, so every read sees the same samples.
  const now = Date.now();
  let svc: Service;

  beforeAll(async () => {
    svc = await startService({ demo: true, db: ':memory:', port: 0, clock: () => now, logger: false });
    await svc.seeded;
  });
  afterAll(() => svc.close());

  it('the generated dashboard has the two PSI stats, each over the status window', () => {
    const stats = psiStats();
    expect(stats.map((p) => [p.title, p.timeFrom, p.targets?.[0].feature])).toEqual([
      ['Response-length drift (PSI)', '24h', 'response_length'],
      ['Prompt-length drift (PSI)', '24h', 'prompt_length'],
    ]);
  });

  it('each stat returns exactly the PSI of the status rules and of rlhf_drift_psi', async () => {
    const gauge = await (await fetch(`${svc.url}/metrics`)).text();
    const status = await post(`${svc.url}/api/v1/query`, {
      from: now - 86_400_000,
      to: now,
      queries: [{ refId: 'S', type: 'status' }],
    });
    const s = status.json.results.S.frames[0];
    const evaluation = (fieldValues(s, 'reason') as string[])[
      (fieldValues(s, 'phase') as string[]).indexOf('evaluation')
    ];

    const shown: Record<string, number> = {};
    for (const panel of psiStats()) {
      const target = panel.targets![0];
      const res = await post(`${svc.url}/api/v1/query`, {
        from: now - parseInterval(panel.timeFrom!),
        to: now,
        queries: [target],
      });
      expect(res.status).toBe(200);
      const frame = res.json.results[target.refId as string].frames[0];
      const psi = fieldValues(frame, 'psi')[0] as number;
      const feature = target.feature as string;
      shown[feature] = psi;
      const line = new RegExp(
        `^rlhf_drift_psi\\{feature="${feature}",reference="training",current="production"\\} (\\S+)$`,
        'm'
      ).exec(gauge);
      expect([feature, Number(line?.[1])]).toEqual([feature, psi]);
    }
    // The demo's week ends with response length drifting: the Evaluation state names it with the stat's figure.
    expect(shown.response_length).toBeGreaterThan(0.25);
    expect(evaluation).toContain(`response_length: PSI ${shown.response_length.toFixed(2)} > 0.25`);
  });
});
