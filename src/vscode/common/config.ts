// Typed access to the `comfyui.*` settings. Every default here must equal the one declared in package.json
// (test/integration/vscode/manifest.test.ts checks it), so a missing value never changes behaviour.
import * as vscode from 'vscode';

export const SECTION = 'comfyui';

export interface WorkflowFilesSetting {
  /** Globs of files that are always workflows (even half-typed or empty). */
  include: string[];
  /** Globs of files that are never workflows. Wins over `include` and over content detection. */
  exclude: string[];
}

export interface Settings {
  serverUrl: string;
  objectInfoPath: string;
  workflowFiles: WorkflowFilesSetting;
  validationEnabled: boolean;
  debounceMs: number;
  codeLensEnabled: boolean;
  requestTimeoutMs: number;
}

export const DEFAULTS: Settings = {
  serverUrl: 'http://127.0.0.1:8188',
  objectInfoPath: '',
  workflowFiles: { include: [], exclude: [] },
  validationEnabled: true,
  debounceMs: 250,
  codeLensEnabled: true,
  requestTimeoutMs: 30_000,
};

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const files = c.get<Partial<WorkflowFilesSetting>>('workflowFiles') ?? {};
  return {
    serverUrl: str(c.get('serverUrl'), DEFAULTS.serverUrl).trim() || DEFAULTS.serverUrl,
    objectInfoPath: str(c.get('objectInfoPath'), '').trim(),
    workflowFiles: { include: strings(files.include), exclude: strings(files.exclude) },
    validationEnabled: c.get<boolean>('validation.enabled') !== false,
    debounceMs: clampNumber(c.get('validation.debounceMs'), DEFAULTS.debounceMs, 0, 5000),
    codeLensEnabled: c.get<boolean>('codeLens.enabled') !== false,
    requestTimeoutMs: clampNumber(c.get('requestTimeoutSeconds'), DEFAULTS.requestTimeoutMs / 1000, 1, 600) * 1000,
  };
}

/** Subscribes to changes of our settings only. */
export function onDidChangeSettings(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener(e);
  });
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

function clampNumber(v: unknown, fallback: number, min: number, max: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  return Math.min(max, Math.max(min, n));
}
