// Frontend-only ("virtual") node types: they exist in the UI graph but are never sent to the server.
// Each is listed with the rule the frontend (or the custom node's own JS) applies to links passing through it.

export type VirtualRule =
  /** No outputs that carry data (notes, labels, group mute/bypass helpers). */
  | 'inert'
  /** Output slot i forwards input slot i (legacy Reroute, rgthree Reroute). */
  | 'passthrough'
  /** Pushes its widget value into every widget it is linked to (core PrimitiveNode). */
  | 'primitive'
  /** KJNodes SetNode: holds a named value; GetNode with the same name reads its input 0. */
  | 'set'
  | 'get';

const VIRTUAL: ReadonlyMap<string, VirtualRule> = new Map<string, VirtualRule>([
  ['Note', 'inert'],
  ['MarkdownNote', 'inert'],
  ['PrimitiveNode', 'primitive'],
  ['Reroute', 'passthrough'],
  ['SetNode', 'set'],
  ['GetNode', 'get'],
  ['Reroute (rgthree)', 'passthrough'],
  ['Label (rgthree)', 'inert'],
  ['Bookmark (rgthree)', 'inert'],
  ['Fast Groups Muter (rgthree)', 'inert'],
  ['Fast Groups Bypasser (rgthree)', 'inert'],
  ['Fast Muter (rgthree)', 'inert'],
  ['Fast Bypasser (rgthree)', 'inert'],
  ['Fast Actions Button (rgthree)', 'inert'],
  ['Node Collector (rgthree)', 'inert'],
  ['Mute / Bypass Repeater (rgthree)', 'inert'],
  ['Mute / Bypass Relay (rgthree)', 'inert'],
  ['Random Unmuter (rgthree)', 'inert'],
  ['Note Plus (mtb)', 'inert'],
]);

/**
 * The virtual rule for a node type. Core frontend types are virtual whatever the server says; custom virtual types
 * only when the server does not define a class of that name (a backend class always wins).
 */
export function virtualRule(type: string, definedOnServer: boolean): VirtualRule | undefined {
  const rule = VIRTUAL.get(type);
  if (!rule) return undefined;
  const core = type === 'Note' || type === 'MarkdownNote' || type === 'PrimitiveNode' || type === 'Reroute';
  return core || !definedOnServer ? rule : undefined;
}
