#!/usr/bin/env node
// `npm run test:real`: the integration suites that talk to the server at COMFYUI_TEST_URL (those that get their server
// from getTestServer(), test/suites.mjs), against a real ComfyUI. Suites with a mock of their own are not run: they
// would pass whatever the URL. Tests that need the mock (its fault switches, fixture definitions, a server they may
// stop) skip and say what they need; tests that clear server-wide state skip unless COMFYUI_TEST_DESTRUCTIVE=1.
// Uploads go to the input subfolder comfyui-workflows-test/.
// Usage: npm run test:real [-- substring ...]   (arguments narrow the suites: a suite runs when its path contains any)
import { matching, realServerSuites, runTests, testFiles } from './suites.mjs';

const url = process.env.COMFYUI_TEST_URL?.trim();
if (!url) {
  console.error('COMFYUI_TEST_URL is not set: start a ComfyUI (e.g. `python main.py --cpu --listen 127.0.0.1 --port 8188`) and run');
  console.error('  COMFYUI_TEST_URL=http://127.0.0.1:8188 npm run test:real');
  process.exit(2);
}
const suites = realServerSuites(testFiles());
const files = matching(suites, process.argv.slice(2));
if (files.length === 0) {
  console.error(`No suite of test:real matched. They are:\n  ${suites.join('\n  ')}`);
  process.exit(1);
}
console.log(`Integration suites against ${url.replace(/\/\/[^@/]*@/, '//***@')}:\n  ${files.join('\n  ')}`);
process.exit(runTests(files));
