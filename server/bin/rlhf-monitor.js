#!/usr/bin/env node
// `npx rlhf-monitor ...` in the repository (npm links this file into node_modules/.bin): run the TypeScript CLI
// through tsx. It calls main itself: under npx, process.argv[1] is the .bin link, not this file.
require('tsx/cjs');
const { main } = require('../src/cli/main.ts');

main(process.argv.slice(2)).catch((e) => {
  console.error(`rlhf-monitor: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
