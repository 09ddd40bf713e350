import fs from 'fs';
import path from 'path';
import { matchRoute, renderTemplate, upstreamFor, type PluginRoute } from './routes';

const routes = (
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../src/datasource/plugin.json'), 'utf8')) as {
    routes: PluginRoute[];
  }
).routes;
const ds = {
  name: 'RLHF Monitor',
  uid: 'rlhf',
  type: 'humain-rlhf-datasource',
  jsonData: { url: 'http://svc:8400' },
  secureJsonData: { apiKey: 's3cret' },
};

describe('plugin route proxying (the data source plugin.json route)', () => {
  test('the route sends /api/... to jsonData.url with the Bearer key from secureJsonData', () => {
    const route = matchRoute(routes, 'api/api/v1/query', 'POST');
    expect(route?.path).toBe('api');
    const up = upstreamFor(route!, 'api/api/v1/query', '?trace=1', ds);
    expect(up.url.href).toBe('http://svc:8400/api/v1/query?trace=1');
    expect(up.headers).toEqual({ Authorization: 'Bearer s3cret' });
  });

  test('a missing secure value renders as Go templates do, so the service refuses it', () => {
    expect(renderTemplate('Bearer {{ .SecureJsonData.apiKey }}', { jsonData: {}, secureJsonData: {} })).toBe(
      'Bearer <no value>'
    );
  });

  test('template actions the harness does not emulate fail loudly', () => {
    expect(() => renderTemplate('{{ .URL }}', ds)).toThrow(/not supported/);
  });

  test('paths outside every route match nothing', () => {
    expect(matchRoute(routes, 'metrics', 'GET')).toBeUndefined();
  });
});
