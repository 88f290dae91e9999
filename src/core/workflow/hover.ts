// Hover in API prompts and /prompt request bodies: what a class is (description, category, pack, inputs,
// outputs), what an input expects (type, default, range, tooltip, combo size), and where a link comes from.
import { findNodeAtOffset as findJsonNodeAtOffset } from 'jsonc-parser';
import { findInputAtOffset, findNodeAtOffset, rangeOf, type OffsetRange, type WorkflowDocument, type WorkflowInput, type WorkflowNode } from './document';
import { escapeMarkdown, markdownCode as code } from '../util/escape';
import { describeClass, describeInput } from './describe';
import { expandNode, inputDefForNodeKey } from './dynamicInputs';
import { inputDefForKey } from './graph';
import { nodeTitle } from './inputValues';
import { typesMatch, type InputDef, type NodeDef, type NodeDefs } from './nodeDefs';
import { plainText } from './messages';

export interface Hover {
  /** Markdown. */
  contents: string;
  /** The token the hover is about. */
  range: OffsetRange;
}

/** Hover at `offset`, or undefined when there is nothing to say. Never throws. */
export function getHover(doc: WorkflowDocument, defs: NodeDefs | undefined, offset: number): Hover | undefined {
  try {
    return hover(doc, defs, offset);
  } catch {
    return undefined;
  }
}

function within(r: OffsetRange | undefined, offset: number): r is OffsetRange {
  return r !== undefined && offset >= r.offset && offset <= r.offset + r.length;
}

function hover(doc: WorkflowDocument, defs: NodeDefs | undefined, offset: number): Hover | undefined {
  if (!defs) return undefined;
  const node = findNodeAtOffset(doc, offset);
  if (!node) return undefined;
  const def = node.classType ? defs.get(node.classType) : undefined;

  if (within(node.keyRange, offset)) {
    // The node id: which class it is, and its title.
    const title = nodeTitle(node, defs);
    const lines = [`Node ${code(node.id)}: **${escapeMarkdown(title)}**${node.classType && title !== node.classType ? ` (${code(node.classType)})` : ''}`];
    if (node.classType && !def) lines.push(`Class ${code(node.classType)} is not installed on the server.`);
    return { contents: lines.join('\n\n'), range: node.keyRange };
  }
  if (node.classTypeNode && within(rangeOf(node.classTypeNode), offset)) {
    const range = rangeOf(node.classTypeNode);
    if (def) return { contents: describeClass(def), range };
    if (node.classType !== undefined)
      return { contents: `Unknown class ${code(node.classType)}: the server has no such node. The custom node pack may not be installed.`, range };
    return undefined;
  }
  const input = findInputAtOffset(node, offset);
  if (!input || !def) return undefined;
  const inputDef = inputDefForNodeKey(def, node, input.name) ?? inputDefForKey(def, input.name);
  if (within(input.keyRange, offset)) {
    if (!inputDef) return { contents: undeclared(def, input.name), range: input.keyRange };
    return { contents: describeInput(def, inputDef), range: input.keyRange };
  }
  if (!input.valueNode || !within(input.valueRange, offset)) return undefined;
  if (input.link) return linkHover(doc, defs, input, inputDef, offset);
  if (!inputDef) return { contents: undeclared(def, input.name), range: input.valueRange };
  return { contents: valueHover(def, inputDef, input, node), range: input.valueRange };
}

/** A dynamic combo's selector: the chosen option and the inputs it adds (or why nothing is added). */
function chosenOption(def: NodeDef, inputDef: InputDef, input: WorkflowInput, node: WorkflowNode): string {
  const options = inputDef.dynamicOptions ?? [];
  if (typeof input.value !== 'string' || !options.includes(input.value)) {
    return `Not one of the options (${options
      .slice(0, 12)
      .map((o) => code(o))
      .join(', ')}${options.length > 12 ? ', …' : ''}): the server adds no inputs for it, and the node fails when it runs.`;
  }
  const prefix = `${input.name}.`;
  const nested = expandNode(def, node).inputs.filter((i) => i.name.startsWith(prefix) && !i.name.slice(prefix.length).includes('.'));
  if (nested.length === 0) return `Option ${code(input.value)} adds no inputs.`;
  const rows = nested.map((i) => {
    const optional = i.category === 'required' ? '' : ' (optional)';
    const fallback = i.default !== undefined ? `, default ${code(JSON.stringify(i.default) ?? '')}` : '';
    return `- ${code(i.name)}: ${code(i.type)}${optional}${fallback}`;
  });
  return [`Option ${code(input.value)} adds:`, ...rows].join('\n');
}

function undeclared(def: NodeDef, name: string): string {
  if (def.hidden.has(name))
    return `${code(name)} is a hidden input of ${code(def.name)} (${code(def.hidden.get(name)!)}): the server fills it in and ignores this value.`;
  return `${code(name)} is not an input of ${code(def.name)}: the server ignores it.`;
}

function valueHover(def: NodeDef, inputDef: InputDef, input: WorkflowInput, node: WorkflowNode): string {
  const parts = [describeInput(def, inputDef)];
  if (inputDef.dynamic === 'dynamicCombo') parts.push(chosenOption(def, inputDef, input, node));
  if (inputDef.kind === 'COMBO' && inputDef.comboValues) {
    const i = inputDef.comboValues.indexOf(input.value);
    if (i >= 0) parts.push(`Option ${i + 1} of ${inputDef.comboValues.length}`);
    else if (inputDef.comboValues.length > 0) parts.push(`Not one of the ${inputDef.comboValues.length} options`);
  }
  return parts.join('\n\n');
}

/** A link `["<id>", slot]`: the source node, its output, and whether the type fits. */
function linkHover(doc: WorkflowDocument, defs: NodeDefs, input: WorkflowInput, inputDef: InputDef | undefined, offset: number): Hover {
  const link = input.link!;
  const range = input.valueRange;
  const lines: string[] = [];
  const sourceId = typeof link.sourceId === 'string' ? link.sourceId : undefined;
  const source: WorkflowNode | undefined = sourceId !== undefined ? doc.nodeById.get(sourceId) : undefined;
  const slot = typeof link.slot === 'number' ? link.slot : undefined;
  if (link.arity !== 2)
    lines.push(
      `A list of ${link.arity} element${link.arity === 1 ? '' : 's'}: the server treats every list as a link ${code('["<node id>", <output index>]')}. Wrap a list value as ${code('{"__value__": [...]}')}.`,
    );
  else if (!source) lines.push(`Link to node ${code(plainText(link.sourceId))}, which is not in this prompt.`);
  else {
    const sourceDef = source.classType ? defs.get(source.classType) : undefined;
    const title = nodeTitle(source, defs);
    const classNote = source.classType && source.classType !== title ? ` (${code(source.classType)})` : '';
    const head = `Link from node ${code(source.id)} **${escapeMarkdown(title)}**${classNote}`;
    const output = sourceDef && slot !== undefined ? sourceDef.outputs[slot] : undefined;
    if (!sourceDef) lines.push(head, source.classType ? `Its class ${code(source.classType)} is unknown.` : 'Its class is not set.');
    else if (!output)
      lines.push(
        head,
        `Output ${code(plainText(link.slot))} does not exist: ${code(sourceDef.name)} has ${sourceDef.outputs.length} output${sourceDef.outputs.length === 1 ? '' : 's'}.`,
      );
    else {
      lines.push(`${head}, output ${output.index}: ${output.name !== output.type ? `${escapeMarkdown(output.name)} ` : ''}${code(output.type)}`);
      if (output.tooltip) lines.push(escapeMarkdown(output.tooltip));
      if (inputDef) {
        const fits = typesMatch(output.type, inputDef.type);
        lines.push(fits ? `Feeds ${code(input.name)} (${code(inputDef.type)})` : `Type mismatch: ${code(input.name)} expects ${code(inputDef.type)}`);
      }
    }
  }
  // Hovering the id or slot element narrows the range to it; the text is the same.
  const el = findJsonNodeAtOffset(input.valueNode!, offset, true);
  const narrowed = el && el !== input.valueNode && el.parent === input.valueNode ? rangeOf(el) : range;
  return { contents: lines.join('\n\n'), range: narrowed };
}
