import { startService, type Service } from '../service';
import { post, tempDb } from './testing';

describe('auth by RLHF_API_KEY', () => {
  const db = tempDb();
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ db: db.file, apiKey: 's3cret-key' });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });
  const query = { queries: [{ refId: 'A', type: 'catalog', of: 'runs' }] };

  it('keeps /api/v1/health open', async () => {
    const r = await fetch(`${svc.url}/api/v1/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', auth: true });
  });

  it('answers 401 with a JSON error without a key or with a wrong one', async () => {
    const none = await post(`${svc.url}/api/v1/query`, query);
    expect(none.status).toBe(401);
    expect(none.json.error).toMatch(/missing API key/);
    const wrong = await post(`${svc.url}/api/v1/query`, query, { key: 's3cret-kez' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatch(/wrong API key/);
    expect(wrong.json.error).not.toContain('s3cret');
    const metrics = await fetch(`${svc.url}/metrics`);
    expect(metrics.status).toBe(401);
    const ingest = await post(`${svc.url}/api/v1/ingest`, [{ kind: 'event', title: 'x' }]);
    expect(ingest.status).toBe(401);
    expect((await svc.store.counts()).event).toBe(0);
  });

  it('answers 200 with the right key', async () => {
    const r = await post(`${svc.url}/api/v1/query`, query, { key: 's3cret-key' });
    expect(r.status).toBe(200);
    expect(r.json.results.A.frames[0].schema.fields[0].name).toBe('value');
    const m = await fetch(`${svc.url}/metrics`, { headers: { authorization: 'Bearer s3cret-key' } });
    expect(m.status).toBe(200);
  });
});
