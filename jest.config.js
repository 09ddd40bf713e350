// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const grafana = require('./.config/jest.config');

const swc = [
  '@swc/jest',
  { sourceMaps: 'inline', jsc: { parser: { syntax: 'typescript', tsx: true, dynamicImport: true } } },
];

module.exports = {
  // Service tests start real servers and browsers: allow them 30 s.
  testTimeout: 30000,
  projects: [
    {
      // The Grafana plugin (src/): the template's config, plus .mjs (d3-color ships only .mjs now).
      ...grafana,
      displayName: 'plugin',
      rootDir: __dirname,
      transform: { ...grafana.transform, '^.+\\.mjs$': grafana.transform['^.+\\.(t|j)sx?$'] },
    },
    {
      // The metrics service, the dashboards/provisioning checks and the browser suites: plain Node.
      displayName: 'server',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/server/**/*.test.ts',
        '<rootDir>/packages/**/*.test.ts',
        '<rootDir>/docs/**/*.test.ts',
        '<rootDir>/dashboards/**/*.test.ts',
        '<rootDir>/provisioning/**/*.test.ts',
        '<rootDir>/e2e/**/*.test.ts',
      ],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
  ],
};
