// The curated list of node classes that run arbitrary code or shell commands taken from the workflow itself.
// A workflow file is data, but queueing one with these classes is like running a downloaded script: people have
// been hit by exactly that (a "Terminal" node used to wget and run a miner, an "SRL Eval" node used to deliver
// malware). ComfyUI-Manager refuses such packs in its default list and marks them [UNSAFE]; we warn in the editor
// and ask once before queueing. Users extend the list with the `comfyui.safety.unsafeNodes` setting.
//
// Every entry names the class exactly as it appears in `class_type` / UI `type` (the key of NODE_CLASS_MAPPINGS),
// why it is dangerous, and a public source for the claim. Background: ComfyUI issue #3473
// (https://github.com/comfyanonymous/ComfyUI/issues/3473), ComfyUI-Manager's [UNSAFE] policy
// (https://github.com/Comfy-Org/ComfyUI-Manager/pull/936). Only class names verified in the packs' sources are listed.

export interface UnsafeNodeEntry {
  /** The node class (`class_type` in API prompts, `type` in UI workflows), matched exactly. */
  classType: string;
  /** One sentence shown to the user: what the node can do. */
  reason: string;
  /** Where this is documented (an issue, a README or the pack's source). */
  source: string;
  /** The custom node pack that registers the class. */
  pack?: string;
}

export const UNSAFE_NODES: readonly UnsafeNodeEntry[] = [
  {
    classType: 'Terminal',
    pack: 'ComfyUI-BrushNet (removed in Sept 2024)',
    reason: 'runs any shell command from the workflow; it was seen downloading and starting remote scripts',
    source: 'https://github.com/nullquant/ComfyUI-BrushNet/issues/141',
  },
  {
    classType: 'SRL Eval',
    pack: 'ComfyUI-RuiquNodes / SRL nodes',
    reason: 'executes any Python code given as input; it was used to deliver cryptocurrency miners',
    source: 'https://github.com/Comfy-Org/ComfyUI-Manager/issues/2816',
  },
  {
    classType: 'IDENode',
    pack: 'ComfyUI_Custom_Nodes_AlekPet',
    reason: 'executes the Python code typed into the node on the server; it was used with SRL Eval in the same attacks',
    source: 'https://github.com/AlekPet/ComfyUI_Custom_Nodes_AlekPet',
  },
  {
    classType: 'ShellCodeNode',
    pack: 'code-nodes',
    reason: 'runs an arbitrary /bin/bash script from the workflow',
    source: 'https://github.com/unphased/code-nodes',
  },
  {
    classType: 'PythonCodeNode',
    pack: 'code-nodes',
    reason: 'executes inline Python code from the workflow',
    source: 'https://github.com/unphased/code-nodes',
  },
  {
    classType: 'NodePython',
    pack: 'ComfyUI_Python_Executor',
    reason: 'executes Python code from the workflow; ComfyUI-Manager lists the pack as [UNSAFE]',
    source: 'https://github.com/Comfy-Org/ComfyUI-Manager/pull/1704',
  },
  {
    classType: 'AnyNode',
    pack: 'AnyNode',
    reason: 'generates Python code with an LLM from the workflow’s prompt and executes it on the server',
    source: 'https://github.com/lks-ai/anynode/issues/46',
  },
];

export interface UnsafeNodeList {
  get(classType: string): UnsafeNodeEntry | undefined;
  readonly size: number;
}

/**
 * The built-in list plus user additions (`comfyui.safety.unsafeNodes`): plain class names or `{classType, reason?}`.
 * Invalid items are ignored: a typo in a setting must not break validation.
 */
export function unsafeNodeList(extra: readonly unknown[] = [], builtIn: readonly UnsafeNodeEntry[] = UNSAFE_NODES): UnsafeNodeList {
  const map = new Map<string, UnsafeNodeEntry>();
  for (const e of builtIn) map.set(e.classType, e);
  for (const item of extra) {
    const entry = userEntry(item);
    if (entry) map.set(entry.classType, entry);
  }
  return { get: (c) => map.get(c), size: map.size };
}

function userEntry(item: unknown): UnsafeNodeEntry | undefined {
  if (typeof item === 'string')
    return item.trim() ? { classType: item.trim(), reason: 'listed as unsafe in your settings (comfyui.safety.unsafeNodes)', source: 'settings' } : undefined;
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.classType !== 'string' || !o.classType.trim()) return undefined;
  return {
    classType: o.classType.trim(),
    reason: typeof o.reason === 'string' && o.reason.trim() ? o.reason.trim() : 'listed as unsafe in your settings (comfyui.safety.unsafeNodes)',
    source: typeof o.source === 'string' && o.source.trim() ? o.source.trim() : 'settings',
  };
}
