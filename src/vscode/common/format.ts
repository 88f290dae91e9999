// Small user-facing formatters of the editor (localized age, a URI's file name); server URLs: core/comfy/url.ts.
import * as vscode from 'vscode';
import { baseName as pathBaseName } from '../../core/util/display';

/** "just now", "5 min ago", "3 h ago", "2 days ago" (localized). */
export function formatAge(then: number, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return vscode.l10n.t('just now');
  const m = Math.round(s / 60);
  if (m < 60) return vscode.l10n.t('{0} min ago', m);
  const h = Math.round(m / 60);
  if (h < 48) return vscode.l10n.t('{0} h ago', h);
  return vscode.l10n.t('{0} days ago', Math.round(h / 24));
}

/** The last path segment of a URI, for messages ("invert.api.json"). */
export function baseName(uri: vscode.Uri): string {
  return pathBaseName(uri.path);
}
