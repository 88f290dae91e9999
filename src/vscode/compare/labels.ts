// User-facing labels of the changes view, localized (the core's describeChange is for the English CLI).
import * as vscode from 'vscode';
import type { Change } from '../../core/diff/diff';
import { escapeTerminal } from '../../core/util/escape';
import { showValue } from '../../core/diff/render';

function value(c: Change, v: unknown): string {
  if (v === null) return vscode.l10n.t('(unset)');
  if (c.kind === 'link_changed' && Array.isArray(v) && v.length === 2) return `← ${escapeTerminal(String(v[0]))}.${String(v[1])}`;
  return typeof v === 'string' && c.kind !== 'value_changed' && c.kind !== 'title_changed' ? escapeTerminal(v) : showValue(v, 120);
}

function mode(v: unknown): string {
  switch (v) {
    case 'always':
      return vscode.l10n.t('always');
    case 'muted':
      return vscode.l10n.t('muted');
    case 'bypassed':
      return vscode.l10n.t('bypassed');
    default:
      return escapeTerminal(String(v));
  }
}

export function changeLabel(c: Change): string {
  switch (c.kind) {
    case 'node_added':
      return vscode.l10n.t('Added {0}', escapeTerminal(c.detail ?? String(c.after)));
    case 'node_removed':
      return vscode.l10n.t('Removed {0}', escapeTerminal(c.detail ?? String(c.before)));
    case 'class_changed':
      return vscode.l10n.t('Class {0} → {1}', value(c, c.before), value(c, c.after));
    case 'mode_changed':
      return vscode.l10n.t('Mode {0} → {1}', mode(c.before), mode(c.after));
    case 'title_changed':
      return vscode.l10n.t('Title {0} → {1}', value(c, c.before), value(c, c.after));
    case 'subgraph_changed':
      return vscode.l10n.t('Subgraph definition changed');
    case 'layout_changed':
      return vscode.l10n.t('Layout: {0}', escapeTerminal(c.detail ?? ''));
    default:
      return `${escapeTerminal(c.input ?? '')}: ${value(c, c.before)} → ${value(c, c.after)}`;
  }
}
