// Markdown descriptions of node classes and inputs, shared by hover and completion documentation so
// both say the same thing the same way. Text from /object_info is plain text written by node authors:
// it is escaped so a stray `*` or `<` does not turn into formatting.
import { escapeMarkdown, markdownCode as code } from '../util/escape';
import type { InputDef, NodeDef, OutputDef } from './nodeDefs';

/**
 * Where a class comes from, from `python_module`: `nodes` and `comfy_extras.*` are ComfyUI itself,
 * `custom_nodes.<pack>` (possibly with a version suffix like `@1.2`) is a custom node pack.
 */
export function packOf(pythonModule: string): string {
  if (pythonModule === '') return 'unknown';
  if (pythonModule === 'nodes' || pythonModule.startsWith('comfy_extras') || pythonModule.startsWith('comfy_api_nodes') || pythonModule.startsWith('comfy.')) {
    return 'ComfyUI core';
  }
  const m = /^custom_nodes[./\\]([^./\\]+)/.exec(pythonModule);
  if (m) return m[1]!.replace(/@.*$/, '');
  return pythonModule;
}

const TWO_TO_64 = 2 ** 64;

function formatNumber(n: number): string {
  // Seeds go up to 0xffffffffffffffff, which a JS number rounds to exactly 2^64: show the server's value.
  if (n === TWO_TO_64) return '18446744073709551615';
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? BigInt(n).toString() : String(n);
}

/** Short type label: `INT`, `COMBO (3 options)`, `INT | FLOAT`. */
export function typeLabel(input: InputDef): string {
  if (input.kind === 'COMBO') {
    const n = input.comboValues?.length;
    return n === undefined ? 'COMBO' : `COMBO (${n} option${n === 1 ? '' : 's'})`;
  }
  return input.types.join(' | ');
}

/** One line per constraint: default, range, step. */
export function constraintLines(input: InputDef): string[] {
  const lines: string[] = [];
  if (input.default !== undefined) lines.push(`Default: ${code(JSON.stringify(input.default) ?? String(input.default))}`);
  if (input.min !== undefined || input.max !== undefined) {
    const lo = input.min === undefined ? '−∞' : formatNumber(input.min);
    const hi = input.max === undefined ? '∞' : formatNumber(input.max);
    lines.push(`Range: ${lo} … ${hi}`);
  }
  if (input.step !== undefined) lines.push(`Step: ${formatNumber(input.step)}`);
  if (input.forceInput) lines.push('Input socket only (forceInput)');
  return lines;
}

/** Markdown for an input: type, required or not, tooltip, constraints. */
export function describeInput(def: NodeDef, input: InputDef): string {
  const head = `${code(input.name)}${input.label ? ` (${escapeMarkdown(input.label)})` : ''}: ${code(typeLabel(input))}, ${input.category}`;
  const parts = [head];
  if (input.tooltip) parts.push(escapeMarkdown(input.tooltip));
  const lines = constraintLines(input);
  if (lines.length) parts.push(lines.join('  \n'));
  parts.push(`Input of ${code(def.name)}`);
  return parts.join('\n\n');
}

function outputLine(o: OutputDef): string {
  const name = o.name !== o.type ? `${escapeMarkdown(o.name)} ` : '';
  return `- ${o.index}: ${name}${code(o.type)}${o.isList ? ' (list)' : ''}${o.tooltip ? ` — ${escapeMarkdown(o.tooltip)}` : ''}`;
}

function inputLine(i: InputDef): string {
  return `- ${code(i.name)}: ${code(typeLabel(i))}${i.category === 'optional' ? ' (optional)' : ''}`;
}

/** Markdown for a class: title, description, category, pack, inputs and outputs. */
export function describeClass(def: NodeDef): string {
  const title = def.displayName !== def.name ? `**${escapeMarkdown(def.displayName)}** (${code(def.name)})` : `**${code(def.name)}**`;
  const flags = [def.outputNode ? 'output node' : '', def.deprecated ? 'deprecated' : '', def.experimental ? 'experimental' : '', def.apiNode ? 'API node' : '']
    .filter(Boolean)
    .join(', ');
  const parts = [flags ? `${title} — ${flags}` : title];
  if (def.description) parts.push(escapeMarkdown(def.description));
  const module = def.pythonModule ? ` (${code(def.pythonModule)})` : '';
  parts.push(`Category: ${escapeMarkdown(def.category || '—')}  \nPack: ${escapeMarkdown(packOf(def.pythonModule))}${module}`);
  if (def.inputs.length) parts.push(`Inputs:\n${def.inputs.map(inputLine).join('\n')}`);
  parts.push(def.outputs.length ? `Outputs:\n${def.outputs.map(outputLine).join('\n')}` : 'Outputs: none');
  return parts.join('\n\n');
}
