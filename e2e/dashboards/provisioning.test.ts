import path from 'path';
import { expandEnv, readProvisionedDataSources } from './provisioning';

describe('data-source provisioning as Grafana reads it', () => {
  test('environment variables are expanded, $$ is a literal dollar', () => {
    expect(expandEnv('a=$A b=${B} c=$$C d=$MISSING', { A: '1', B: '2' })).toBe('a=1 b=2 c=$C d=');
  });

  test('the provisioned RLHF data source: uid rlhf, service URL, API key from RLHF_API_KEY', () => {
    const all = readProvisionedDataSources(path.join(__dirname, '../../provisioning/datasources'), {
      RLHF_API_KEY: 'k-123',
    });
    const rlhf = all.find((d) => d.uid === 'rlhf');
    expect(rlhf).toMatchObject({ type: 'humain-rlhf-datasource', secureJsonData: { apiKey: 'k-123' } });
    expect(String(rlhf!.jsonData.url)).toMatch(/^https?:\/\//);
  });
});
