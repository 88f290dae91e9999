// Types of test/suites.mjs (plain ESM so the runners need no TypeScript loader).
export declare const ROOT: string;
/** Every *.test.ts under test/ (relative to the repository, sorted), except the end-to-end suite and fixtures. */
export declare function testFiles(root?: string): string[];
/** The files whose path contains any of `filters` (all files when there is none). */
export declare function matching(files: readonly string[], filters: readonly string[]): string[];
/** The integration suites that get their server from getTestServer(): what `npm run test:real` runs. */
export declare function realServerSuites(files: readonly string[], read?: (file: string) => string): string[];
/** Runs `files` with node:test through tsx; returns the exit status. */
export declare function runTests(files: readonly string[], root?: string): number;
