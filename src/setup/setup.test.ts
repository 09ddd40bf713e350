import type { DataSourceDto } from './api';
import {
  dataSourceWrite,
  pickRlhf,
  prometheusChoices,
  RULE_MATCHER,
  RULE_UIDS,
  ruleGroupFor,
  urlProblem,
  withChildRoute,
  withSetup,
} from './setup';

const ds = (o: Partial<DataSourceDto> & { uid: string; type: string }): DataSourceDto => ({
  id: 1,
  name: o.uid,
  access: 'proxy',
  isDefault: false,
  readOnly: false,
  jsonData: {},
  ...o,
});

describe('data source body', () => {
  it('creates with the provisioning uid and name, the key in secureJsonData', () => {
    expect(dataSourceWrite(undefined, ' http://svc:8400 ', 'k1')).toEqual({
      uid: 'rlhf',
      name: 'RLHF Monitor',
      type: 'humain-rlhf-datasource',
      access: 'proxy',
      jsonData: { url: 'http://svc:8400' },
      secureJsonData: { apiKey: 'k1' },
    });
  });

  it('updates keeping name, uid, other jsonData and version; no key means Grafana keeps the stored one', () => {
    const existing = ds({
      uid: 'x',
      name: 'Mine',
      type: 'humain-rlhf-datasource',
      jsonData: { url: 'a', other: 1 },
      version: 4,
    });
    expect(dataSourceWrite(existing, 'http://b')).toEqual({
      uid: 'x',
      name: 'Mine',
      type: 'humain-rlhf-datasource',
      access: 'proxy',
      jsonData: { url: 'http://b', other: 1 },
      version: 4,
    });
    expect(dataSourceWrite(existing, 'http://b', '').secureJsonData).toEqual({ apiKey: '' });
  });

  it('checks the URL', () => {
    expect(urlProblem('')).toMatch(/Enter the URL/);
    expect(urlProblem('rlhf-monitor:8400')).toMatch(/must start with http/);
    expect(urlProblem('not a url')).toMatch(/absolute/);
    expect(urlProblem('http://rlhf-monitor:8400')).toBeUndefined();
  });
});

describe('choices', () => {
  const all = [
    ds({ uid: 'p1', type: 'prometheus' }),
    ds({ uid: 'p2', type: 'prometheus', isDefault: true }),
    ds({ uid: 'r1', type: 'humain-rlhf-datasource' }),
    ds({ uid: 'r2', type: 'humain-rlhf-datasource' }),
    ds({ uid: 'l', type: 'loki' }),
  ];
  it('Prometheus: saved, else default, else first', () => {
    expect(prometheusChoices(all, 'p1')).toEqual({ list: [all[0], all[1]], uid: 'p1' });
    expect(prometheusChoices(all).uid).toBe('p2');
    expect(prometheusChoices([all[0]]).uid).toBe('p1');
    expect(prometheusChoices([all[4]])).toEqual({ list: [], uid: undefined });
  });
  it('RLHF: saved, else first', () => {
    expect(pickRlhf(all, 'r2')?.uid).toBe('r2');
    expect(pickRlhf(all, 'gone')?.uid).toBe('r1');
    expect(pickRlhf([all[0]])).toBeUndefined();
  });
  it('setup state merges into jsonData, keeping the rest (e.g. the Playground)', () => {
    const j = { llm1Url: 'u', setup: { datasourceUid: 'r1' } };
    expect(withSetup(j, { prometheusUid: 'p1' })).toEqual({
      llm1Url: 'u',
      setup: { datasourceUid: 'r1', prometheusUid: 'p1' },
    });
  });
});

test('rule group: on the chosen Prometheus and folder, no placeholder left', () => {
  const g = ruleGroupFor('prom-x', 'fold-1');
  expect(JSON.stringify(g)).not.toContain('${');
  expect(g.folderUid).toBe('fold-1');
  expect(g.rules.map((r) => r.uid)).toEqual(RULE_UIDS);
  for (const r of g.rules) {
    expect(r.folderUID).toBe('fold-1');
    expect(r.data[0]).toMatchObject({
      datasourceUid: 'prom-x',
      model: { datasource: { type: 'prometheus', uid: 'prom-x' } },
    });
    expect(r.data.slice(1).every((q) => q.datasourceUid === '__expr__')).toBe(true);
    expect(r.labels.component).toBe(RULE_MATCHER[2]);
  }
});

describe('notification policy: one child route, nothing else', () => {
  const tree = {
    receiver: 'default',
    group_by: ['alertname'],
    routes: [{ receiver: 'infra', object_matchers: [['team', '=', 'infra']] as Array<[string, string, string]> }],
  };
  it('adds our route first among the children', () => {
    const { tree: next, added } = withChildRoute(tree, 'oncall');
    expect(added).toBe(true);
    expect(next).toEqual({
      ...tree,
      routes: [{ receiver: 'oncall', object_matchers: [RULE_MATCHER] }, ...tree.routes],
    });
    expect(withChildRoute(next, 'oncall')).toEqual({ tree: next, added: false });
  });
  it('works on a tree without children', () => {
    expect(withChildRoute({ receiver: 'default' }, 'oncall').tree.routes).toEqual([
      { receiver: 'oncall', object_matchers: [RULE_MATCHER] },
    ]);
  });
});
