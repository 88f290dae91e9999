// The slice of the built-in git extension's API (vscode.git, API version 1) that Compare uses. Typed here
// because the extension ships no types package; everything is optional so a missing or disabled git extension
// degrades to one clear message instead of an exception.
import * as vscode from 'vscode';

export interface GitChange {
  readonly uri: vscode.Uri;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly workingTreeChanges: readonly GitChange[];
    readonly indexChanges: readonly GitChange[];
    readonly onDidChange: vscode.Event<void>;
  };
  show(ref: string, path: string): Promise<string>;
}

export interface GitApi {
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The git API, activating the git extension if needed; undefined when git is unavailable or disabled. */
export async function gitApi(): Promise<GitApi | undefined> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports?.enabled ? exports.getAPI(1) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether git reports `uri` as modified (staged or not) in its repository. */
export function isModified(repo: GitRepository, uri: vscode.Uri): boolean {
  const key = uri.toString();
  return repo.state.workingTreeChanges.some((c) => c.uri.toString() === key) || repo.state.indexChanges.some((c) => c.uri.toString() === key);
}
