// What the editor's live validation computes for one document, as a pure function (no vscode): the core's
// validateWorkflow for API prompts and /prompt bodies, and for UI graphs the core's UI validation (convert to the
// prompt the frontend would queue, validate it, map each problem back onto the UI JSON). JSON syntax errors are
// left to VS Code's own JSON support, which already reports them (twice would be noise). Runs in the validation
// worker (and in-process where no worker can start).
import type { ObjectInfo } from '../../../core/comfy/types';
import { parseWorkflowDocument, type WorkflowDocument } from '../../../core/workflow/document';
import type { NodeDefs } from '../../../core/workflow/nodeDefs';
import { validateWorkflow } from '../../../core/workflow/validate';
import { validateUiWorkflow } from '../../../core/workflow/ui/validateUi';
import type { EditorRules, WireProblem } from '../../../shared/validationProtocol';
import { unsafeNodeProblems, type UnsafeNodeProblem } from '../../../core/safety/detect';
import { unsafeNodeList } from '../../../core/safety/unsafeNodes';

export function validateForEditor(
  doc: WorkflowDocument,
  objectInfo: Record<string, unknown>,
  defs: NodeDefs,
  locale: string,
  rules: EditorRules = {},
): WireProblem[] {
  const server = {
    ...(rules.serverVersion !== undefined ? { serverVersion: rules.serverVersion } : {}),
    ...(rules.nodeReplacements ? { nodeReplacements: rules.nodeReplacements } : {}),
  };
  const problems: WireProblem[] =
    doc.format === 'ui'
      ? validateUiWorkflow(doc.text, objectInfo as ObjectInfo, { locale, defs, ...server })
      : validateWorkflow(doc, defs, { locale, ...server });
  return problems.filter((p) => p.code !== 'syntax_error');
}

/**
 * The worker's entry point for one request: parses the text itself (a parsed tree is not worth cloning). A document
 * the host sent unparsed (large) may turn out not to be a workflow: then no problems, and `isWorkflow` says so.
 */
export function validateText(
  text: string,
  objectInfo: Record<string, unknown>,
  defs: NodeDefs,
  locale: string,
  requireContent: boolean,
  rules: EditorRules = {},
): { problems: WireProblem[]; isWorkflow: boolean } {
  const doc = parseWorkflowDocument(text);
  // A document too large or too deep for a tree has no content to judge by; the sniff let it in, so say why it is
  // not checked rather than nothing.
  if (requireContent && !doc.tooLarge && !isWorkflowContent(doc)) return { problems: [], isWorkflow: false };
  return { problems: validateForEditor(doc, objectInfo, defs, locale, rules), isWorkflow: true };
}

/** Unsafe-node warnings of a document (the same core check the host runs on small documents). */
export function unsafeOfText(text: string, extra: readonly unknown[]): UnsafeNodeProblem[] {
  return unsafeNodeProblems(parseWorkflowDocument(text), unsafeNodeList(extra));
}

/**
 * Content rule. The core calls `{"1": 2}` an API prompt (id-like keys are enough while typing); for deciding
 * membership we also want a real sign of ComfyUI: a node with `class_type`/`inputs`, or a UI graph.
 */
export function isWorkflowContent(doc: WorkflowDocument): boolean {
  if (doc.format === 'ui') return true;
  if (doc.format === 'api' || doc.format === 'request') return doc.nodes.some((n) => n.classTypeNode !== undefined || n.inputsNode !== undefined);
  return false;
}
