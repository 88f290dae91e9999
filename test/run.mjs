#!/usr/bin/env node
// Runs every *.test.ts under test/ (except the end-to-end suite) with node:test, through tsx.
// Node 20's `--test` does not expand globs, so the files are listed here (test/suites.mjs).
// Usage: node test/run.mjs [dir-or-file-substring ...]   (a file runs when its path contains any of them)
import { matching, runTests, testFiles } from './suites.mjs';

const files = matching(testFiles(), process.argv.slice(2));
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
process.exit(runTests(files));
