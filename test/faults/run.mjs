#!/usr/bin/env node
// `npm run test:faults`: runs the fault suite in one process (the table needs every scenario's row), with node's
// spec reporter, so it ends with the runner's pass/fail summary. Usage: node test/faults/run.mjs [name-pattern]
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const pattern = process.argv[2];
const args = ['--import', 'tsx', '--test-reporter=spec', ...(pattern ? [`--test-name-pattern=${pattern}`] : []), 'test/faults/suite.ts'];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
process.exit(r.status ?? 1);
