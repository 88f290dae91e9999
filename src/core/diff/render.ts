// Renderings of a diff (text for terminals, markdown for pull-request comments; JSON is the Change array itself)
// and the textconv view of one workflow for `git diff`. Everything the file controls goes through escapeTerminal
// (terminal) or escapeMarkdown (markdown), the project's one escapers in util/escape.ts, and long values are cut, so
// a hostile file cannot take over the output.
import { modeName, type Change, type DiffResult } from './diff';
import { escapeMarkdown, escapeTerminal } from '../util/escape';
import { sortIds, type ModelInput, type WorkflowModel } from './model';

const MAX_VALUE_CHARS = 200;

/** One value as readers expect it: a link as `← 4.MODEL`, strings quoted, long text cut. */
export function showValue(v: unknown, max = MAX_VALUE_CHARS): string {
  return escapeTerminal(valueText(v, max));
}

/** showValue before escaping (textconv escapes each whole line once). */
function valueText(v: unknown, max: number): string {
  let s: string;
  if (v === null || v === undefined) s = '∅';
  else if (typeof v === 'string') s = JSON.stringify(v);
  else s = JSON.stringify(v) ?? String(v);
  if (s.length > max) s = `${s.slice(0, max)}… (${s.length} chars)`;
  return s;
}

function showChangeValue(c: Change, v: unknown): string {
  if (c.kind === 'link_changed' && Array.isArray(v) && v.length === 2) return `← ${escapeTerminal(String(v[0]))}.${String(v[1])}`;
  if (c.kind === 'node_added' || c.kind === 'node_removed' || c.kind === 'class_changed' || c.kind === 'mode_changed') return escapeTerminal(String(v));
  return showValue(v);
}

const COLOURS = { add: '\x1b[32m', remove: '\x1b[31m', change: '\x1b[33m', dim: '\x1b[2m', reset: '\x1b[0m' };

export function changeSign(c: Change): '+' | '-' | '~' {
  return c.kind === 'node_added' ? '+' : c.kind === 'node_removed' ? '-' : '~';
}

/** A one-line English description of a change (without node id), for the text output and the Compare view. */
export function describeChange(c: Change): string {
  const input = c.input !== null ? escapeTerminal(c.input) : '';
  switch (c.kind) {
    case 'node_added':
      return `added ${escapeTerminal(c.detail ?? String(c.after))}`;
    case 'node_removed':
      return `removed ${escapeTerminal(c.detail ?? String(c.before))}`;
    case 'class_changed':
      return `class ${showChangeValue(c, c.before)} → ${showChangeValue(c, c.after)}`;
    case 'mode_changed':
      return `mode ${showChangeValue(c, c.before)} → ${showChangeValue(c, c.after)}`;
    case 'title_changed':
      return `title ${showValue(c.before)} → ${showValue(c.after)}`;
    case 'subgraph_changed':
      return escapeTerminal(c.detail ?? 'subgraph changed');
    case 'layout_changed':
      return `layout: ${escapeTerminal(c.detail ?? '')}`;
    default:
      return `${input}: ${c.before === null ? '(unset)' : showChangeValue(c, c.before)} → ${c.after === null ? '(unset)' : showChangeValue(c, c.after)}`;
  }
}

export function renderText(result: DiffResult, options: { colour?: boolean; includeLayout?: boolean } = {}): string {
  const col = options.colour === true;
  const paint = (code: string, s: string): string => (col ? `${code}${s}${COLOURS.reset}` : s);
  const lines: string[] = [];
  const list = options.includeLayout ? [...result.changes, ...result.layout] : result.changes;
  for (const c of list) {
    const sign = changeSign(c);
    const code = c.kind === 'layout_changed' ? COLOURS.dim : sign === '+' ? COLOURS.add : sign === '-' ? COLOURS.remove : COLOURS.change;
    lines.push(paint(code, `${sign} ${escapeTerminal(c.nodeId)} ${describeChange(c)}`));
  }
  if (result.changes.length === 0) lines.push('No semantic changes.');
  if (result.layoutChanged > 0 && !options.includeLayout) {
    lines.push(
      paint(
        COLOURS.dim,
        `(${result.layoutChanged} layout-only change${result.layoutChanged === 1 ? '' : 's'}: positions, sizes, order, view; --include-layout lists them)`,
      ),
    );
  }
  if (result.positional) lines.push(paint(COLOURS.dim, 'Some widget values are named by position (widgets_values[i]): pass --object-info to name them.'));
  return `${lines.join('\n')}\n`;
}

export function renderMarkdown(result: DiffResult, options: { includeLayout?: boolean } = {}): string {
  const out: string[] = [];
  const n = result.changes.length;
  out.push(`**Workflow changes:** ${n} semantic change${n === 1 ? '' : 's'}, ${result.layoutChanged} layout-only.`, '');
  const list = options.includeLayout ? [...result.changes, ...result.layout] : result.changes;
  if (list.length > 0) {
    out.push('| | Node | Input | Before | After |', '|---|---|---|---|---|');
    for (const c of list) {
      const cell = (v: unknown): string => (v === null ? '' : escapeMarkdown(showChangeValue(c, v)));
      const what =
        c.kind === 'layout_changed' ? escapeMarkdown(c.detail ?? '') : c.input !== null ? escapeMarkdown(c.input) : escapeMarkdown(c.kind.replace('_', ' '));
      out.push(`| ${changeSign(c) === '-' ? '−' : changeSign(c)} | ${escapeMarkdown(c.nodeId)} | ${what} | ${cell(c.before)} | ${cell(c.after)} |`);
    }
    out.push('');
  }
  if (result.positional) out.push('_Some widget values are named by position: pass `--object-info` to name them._', '');
  return out.join('\n');
}

export function renderJson(result: DiffResult, options: { includeLayout?: boolean } = {}): string {
  const changes = options.includeLayout ? [...result.changes, ...result.layout] : result.changes;
  return `${JSON.stringify({ changes, layoutChanged: result.layoutChanged }, null, 2)}\n`;
}

/** An input's value or link, not yet escaped. */
function inputText(i: ModelInput): string {
  if (i.kind === 'link') return `← ${i.origin}.${i.output !== undefined ? i.output : String(i.slot)}`;
  return valueText(i.value, 2000);
}

/**
 * The textconv view: a header, then one block per node in id order: `[id] Class "title"` (mode when not
 * always), then its inputs by name in the node's order. Layout is left out, so `git diff` shows only what a run would see.
 */
export function renderTextconv(model: WorkflowModel): string {
  const out: string[] = [];
  const kind = model.format === 'ui' ? 'UI workflow' : model.format === 'request' ? '/prompt request' : 'API prompt';
  out.push(`# ComfyUI ${kind}: ${model.nodes.size} node${model.nodes.size === 1 ? '' : 's'}`);
  if (model.positional) out.push('# widget values without node definitions are named by position (set COMFYUI_OBJECT_INFO to name them)');
  // Each line is escaped once, whole: what the file controls is escaped inside it, and our own framing has no
  // character the escaper touches. (Escaping every part apart was a third of the time on a 2 MB workflow.)
  for (const [id, def] of [...model.definitions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push('', escapeTerminal(`subgraph ${id} "${def.name}"`), escapeTerminal(`  signature: ${def.signature}`));
  }
  for (const id of sortIds(model.nodes.keys())) {
    const n = model.nodes.get(id)!;
    const title = n.title !== null && n.title !== n.classType ? ` "${n.title}"` : '';
    out.push('', escapeTerminal(`[${id}] ${n.classType}${title}${n.mode !== 0 ? ` (${modeName(n.mode)})` : ''}`));
    // Inputs in the node's own order (the class's widget order, then links): stable, and as the editor shows them.
    for (const [name, input] of n.inputs) out.push(escapeTerminal(`  ${name}: ${inputText(input)}`));
  }
  return `${out.join('\n')}\n`;
}
