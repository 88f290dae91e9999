// Types of scripts/setup-e2e.mjs (plain ESM so `npm run test:e2e` needs no TypeScript loader for its set-up step).
export declare const CODE_SERVER_VERSION: string;
export declare const CACHE_DIR: string;
export declare const CODE_SERVER_BIN: string;
/** Installs the pinned code-server into .vscode-test/code-server unless present; returns its entry script. */
export declare function ensureCodeServer(options?: { quiet?: boolean }): string;
/** Returns Chromium's path or throws with the install hint. */
export declare function checkChromium(): string;
