// Small user-facing formatters shared by the status bar, the code lens and notifications.
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

/** host[:port][/prefix] of a display URL: short enough for a status bar or code lens. */
export function shortServer(displayUrl: string): string {
  try {
    const u = new URL(displayUrl);
    const prefix = u.pathname.replace(/\/+$/, '');
    return `${u.host}${prefix}`;
  } catch {
    return displayUrl;
  }
}

/** The last path segment of a URI, for messages ("invert.api.json"). */
export function baseName(uri: vscode.Uri): string {
  return pathBaseName(uri.path);
}
