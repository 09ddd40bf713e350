// Jest setup provided by Grafana scaffolding. It stubs DOM APIs, so it is skipped in plugin tests that declare
// `@jest-environment node` (e.g. the data source against the real service), where there is no DOM to stub.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
