import { startService, type Service } from '../service';
import { post } from './testing';

describe('GET / (the front door)', () => {
  let open: Service;
  let keyed: Service;
  beforeAll(async () => {
    [open, keyed] = await Promise.all([startService({}), startService({ apiKey: 'secret-key-1' })]);
    const records = [
      { kind: 'metric', run: 'ppo-<b>', name: 'loss', value: 1, step: 1, ts: '2026-11-30T10:00:00Z' },
      { kind: 'metric', run: 'dpo-a', name: 'loss', value: 1, step: 1, ts: '2026-11-30T11:00:00Z' },
      { kind: 'annotation', dataset: 'prefs', item: 'i1', annotator: 'a1', label: 'A' },
    ];
    expect((await post(`${open.url}/api/v1/ingest`, records)).status).toBe(200);
    expect((await post(`${keyed.url}/api/v1/ingest`, records, { key: 'secret-key-1' })).status).toBe(200);
  });
  afterAll(() => Promise.all([open.close(), keyed.close()]));

  it('shows counts per kind, runs (escaped), the newest point, the phase states and how to connect', async () => {
    const res = await fetch(`${open.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<th scope="row">metric<\/th><td>2<\/td>/);
    expect(html).toMatch(/<th scope="row">annotation<\/th><td>1<\/td>/);
    expect(html).toContain('<code>dpo-a</code> <code>ppo-&lt;b&gt;</code>');
    expect(html).toContain('Newest metric point: 2026-11-30T11:00:00.000Z');
    for (const phase of ['data', 'training', 'evaluation', 'deployment']) {
      expect(html).toContain(`<strong>${phase}</strong>`);
    }
    expect(html).toContain(`with URL ${open.url}`);
    expect(html).toContain('No API key is set');
  });

  it('with a key, needs none but shows neither run names nor states, and says where the key goes', async () => {
    const res = await fetch(`${keyed.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<th scope="row">metric<\/th><td>2<\/td>/);
    expect(html).not.toContain('dpo-a');
    expect(html).toContain('Run names need the API key.');
    expect(html).toContain('Paste the service key (RLHF_API_KEY) into its &quot;API key&quot; field');
    expect(html).not.toContain('secret-key-1');
    // Every other route still needs the key.
    expect((await fetch(`${keyed.url}/metrics`)).status).toBe(401);
  });
});
