import fs from 'fs';
import path from 'path';
import { matchAppRoute } from './appServer';

const appRoutes = JSON.parse(fs.readFileSync(path.join(__dirname, '../../src/plugin.json'), 'utf8')).routes;

test("app routes match like Grafana's plugin proxy: llm<n>/* forwards what is below it, nothing else matches", () => {
  expect(matchAppRoute(appRoutes, 'llm2/chat/completions', 'POST')).toMatchObject({
    path: 'llm2/',
    url: '{{ .JsonData.llm2Url }}',
  });
  expect(matchAppRoute(appRoutes, 'llm4/models', 'GET')?.url).toBe('{{ .JsonData.llm4Url }}');
  expect(matchAppRoute(appRoutes, 'llm1', 'GET')).toBeUndefined();
  expect(matchAppRoute(appRoutes, 'llm10/models', 'GET')).toBeUndefined();
  expect(matchAppRoute([{ path: 'exact', url: 'http://x' }], 'exact', 'GET')?.path).toBe('exact');
  expect(matchAppRoute([{ path: 'exact', url: 'http://x' }], 'exact/more', 'GET')).toBeUndefined();
  expect(matchAppRoute([{ path: 'p/*', method: 'POST', url: 'http://x' }], 'p/a', 'GET')).toBeUndefined();
});
