#!/usr/bin/env node
// `npx daemonfleet …` from the repository (after `npm run build`): see apps/cli/src/main.ts.
import '../dist/main.js';
