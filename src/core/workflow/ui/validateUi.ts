// Validation of UI workflows: convert to the API prompt the frontend would queue, validate that prompt like the
// server does, then move every problem back into the UI document through the conversion's source map: onto the
// widgets_values element or the input slot the value came from, else onto the node, so the editor underlines
// the spot the user has to change.
import type { ObjectInfo } from '../../comfy/types';
import { parseWorkflowDocument } from '../document';
import { prepareNodeDefs, type NodeDefs } from '../nodeDefs';
import { uiWorkflowToPrompt, type ConvertOptions } from '../toPrompt';
import { isMissingClassProblem, validateWorkflow, type Problem, type ProblemCode, type ValidateOptions } from '../validate';
import type { ConversionCode } from './types';

/** A problem of a UI workflow: a validator problem mapped back, or a conversion problem. */
export interface UiProblem extends Omit<Problem, 'code'> {
  code: ProblemCode | ConversionCode;
  /** The UI node's own id and title (inside a subgraph, `nodeId` is the execution id `outer:inner`). */
  uiNodeId?: string;
  title?: string;
}

export interface ValidateUiOptions extends ValidateOptions {
  /** Prepared definitions of the same /object_info (prepared here when absent). */
  defs?: NodeDefs;
}

const prepared = new WeakMap<object, NodeDefs>();

/** Definitions prepared once per /object_info object (their schema caches then survive between calls). */
function preparedDefs(objectInfo: ObjectInfo): NodeDefs {
  let defs = prepared.get(objectInfo);
  if (!defs) prepared.set(objectInfo, (defs = prepareNodeDefs(objectInfo)));
  return defs;
}

/** Validates UI workflow text. Never throws. */
export function validateUiWorkflow(text: string, objectInfo: ObjectInfo, options: ValidateUiOptions = {}): UiProblem[] {
  // Dynamic prompts are left as saved: validation must not depend on a random pick.
  const convertOptions: ConvertOptions = { dynamicPrompts: false };
  const converted = uiWorkflowToPrompt(text, objectInfo, convertOptions);
  const out: UiProblem[] = converted.problems.map(({ path: _path, ...p }) => p);
  if (converted.workflow === undefined) return out;

  let defs: NodeDefs;
  try {
    defs = options.defs ?? preparedDefs(objectInfo);
  } catch {
    return out; // not an /object_info object: the conversion already reported every node as unknown
  }
  // The prompt is ours, bounded by the expansion cap: the document model's file-size limits do not apply to it (they
  // would call a small file that expands a lot "more than 60,000 JSON objects").
  const apiDoc = parseWorkflowDocument(JSON.stringify(converted.prompt), { maxObjects: Number.MAX_SAFE_INTEGER, maxValues: Number.MAX_SAFE_INTEGER });
  const found = validateWorkflow(apiDoc, defs, {
    ...(options.locale !== undefined ? { locale: options.locale } : {}),
    ...(options.serverVersion !== undefined ? { serverVersion: options.serverVersion } : {}),
    ...(options.nodeReplacements ? { nodeReplacements: options.nodeReplacements } : {}),
  });
  const missingReported = new Set(found.filter(isMissingClassProblem).map((p) => p.nodeId));
  const result = out.filter((p) => !(p.code === 'missing_node_type' && p.nodeId !== undefined && missingReported.has(p.nodeId)));

  for (const p of found) {
    const entry = p.nodeId !== undefined ? converted.sourceMap[p.nodeId] : undefined;
    const inputPath = entry && p.inputName !== undefined ? entry.inputs[p.inputName] : undefined;
    const range = inputPath ? converted.locate(inputPath) : entry ? converted.locate(entry.node) : { offset: 0, length: 0 };
    result.push({
      ...p,
      range,
      ...(entry ? { uiNodeId: entry.uiNodeId, title: entry.title } : {}),
    });
  }
  return result;
}
