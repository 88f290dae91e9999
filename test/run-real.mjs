#!/usr/bin/env node
// `npm run test:real`: the integration suites against a real ComfyUI at COMFYUI_TEST_URL. Tests that need the mock
// (its fault switches, fixture definitions, a server they may stop) skip and say what they need; tests that clear
// server-wide state skip unless COMFYUI_TEST_DESTRUCTIVE=1. Uploads go to the input subfolder comfyui-workflows-test/.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const url = process.env.COMFYUI_TEST_URL?.trim();
if (!url) {
  console.error('COMFYUI_TEST_URL is not set: start a ComfyUI (e.g. `python main.py --cpu --listen 127.0.0.1 --port 8188`) and run');
  console.error('  COMFYUI_TEST_URL=http://127.0.0.1:8188 npm run test:real');
  process.exit(2);
}
console.log(`Integration suites against ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
const runner = fileURLToPath(new URL('./run.mjs', import.meta.url));
const r = spawnSync(process.execPath, [runner, 'test/integration', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
