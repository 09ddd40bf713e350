#!/usr/bin/env node
// `npx rlhf-monitor ...`: run the TypeScript CLI through tsx (a runtime dependency).
require('tsx/cjs');
require('../src/cli/main.ts');
