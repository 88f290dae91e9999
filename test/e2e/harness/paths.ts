// Fixed locations used by the end-to-end machinery. Everything generated lives in git-ignored folders:
// .vscode-test/ (cached installs) and test-results/ (screenshots, logs).
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const VSIX_PATH = process.env.E2E_VSIX ?? join(REPO_ROOT, 'comfyui-workflows.vsix');
export const CODE_SERVER_ENTRY = join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Extensions dir shared by every launch: the .vsix is installed once per build (see installExtension). */
export const EXTENSIONS_DIR = join(REPO_ROOT, '.vscode-test', 'e2e', 'extensions');
export const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');
export const DOCS_IMAGES_DIR = join(REPO_ROOT, 'docs', 'images');
export const SAMPLE_WORKSPACE = join(REPO_ROOT, 'test', 'e2e', 'workspace');
export const MOCK_SERVER_MODULE = join(REPO_ROOT, 'test', 'mock-comfyui', 'server.ts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
