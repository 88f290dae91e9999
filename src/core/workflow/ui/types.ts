// Shapes used by the UI-workflow → API-prompt conversion.
// A UI workflow arrives as untrusted JSON; ./graph.ts reads it into these normalized, loosely-checked records,
// each remembering the JSON path it came from so every problem and every source-map entry can point back into
// the user's file.

/** A path into the UI JSON document, as jsonc-parser's `findNodeAtLocation` takes it. */
export type JsonPath = (string | number)[];

export type ConversionSeverity = 'error' | 'warning' | 'information';

/**
 * A problem found while converting. `path` is where it lives in the UI document (the most precise element known:
 * a widgets_values entry, an inputs[i] slot, a link, or the node). `nodeId`/`title` name the UI node when there is one.
 */
export interface ConversionProblem {
  severity: ConversionSeverity;
  code: ConversionCode;
  message: string;
  path: JsonPath;
  /** UI node id (execution id `outer:inner` inside subgraphs). */
  nodeId?: string;
  title?: string;
  inputName?: string;
}

export type ConversionCode =
  | 'invalid_workflow'
  | 'unknown_version'
  | 'missing_node_type'
  | 'dangling_link'
  | 'duplicate_link_id'
  | 'slot_out_of_range'
  | 'link_cycle'
  | 'widgets_values_missing'
  | 'widgets_values_count'
  | 'subgraph_recursion'
  | 'workflow_too_large'
  | 'subgraph_missing'
  | 'group_node_missing'
  | 'bypass_unresolved'
  | 'invalid_node';

export interface UiInputSlot {
  name: string;
  type: string;
  /** Link id held by the slot (the frontend resolves links through this, not through the link table's target). */
  link: LinkId | null;
  /** Name of the widget this slot belongs to (converted widget / widget socket). */
  widgetName?: string;
  path: JsonPath;
}

export interface UiOutputSlot {
  name: string;
  type: string;
  links: LinkId[];
  path: JsonPath;
}

export type LinkId = number | string;

export interface UiLink {
  id: LinkId;
  originId: string;
  originSlot: number;
  targetId: string;
  targetSlot: number;
  type: string;
  path: JsonPath;
}

export interface UiNode {
  /** `String(node.id)`. */
  id: string;
  type: string;
  /** The saved title, when the user changed it (the frontend saves it only then). */
  title?: string;
  mode: number;
  inputs: UiInputSlot[];
  outputs: UiOutputSlot[];
  widgetsValues: unknown[] | Record<string, unknown> | undefined;
  properties: Record<string, unknown>;
  path: JsonPath;
  /** Where widgets_values[key] lives, when not under `path` (legacy group nodes keep them on the instance). */
  widgetPath?: (key: number | string) => JsonPath;
}

/** One graph level: the root workflow, a subgraph definition, or a legacy group node's inner graph. */
export interface UiGraph {
  nodes: Map<string, UiNode>;
  /** In file order (the frontend's execution order differs, but the prompt is a keyed object). */
  nodeList: UiNode[];
  links: Map<string, UiLink>;
  path: JsonPath;
}

/** A subgraph definition (`definitions.subgraphs[]`). */
export interface UiSubgraphDef extends UiGraph {
  id: string;
  name: string;
  /** Inputs of the definition in order: name, type and the inner links leaving the input node (-10). */
  inputs: { name: string; type: string; linkIds: LinkId[] }[];
  outputs: { name: string; type: string; linkIds: LinkId[] }[];
  /** Legacy group nodes: instance slots map to definition slots by index, not by name. */
  ioByIndex?: boolean;
}

export interface UiWorkflow {
  root: UiGraph;
  subgraphs: Map<string, UiSubgraphDef>;
  /** `extra.groupNodes` (legacy group nodes), raw; ./groupNodes.ts interprets them. */
  groupNodes: Record<string, unknown>;
  version: unknown;
}
