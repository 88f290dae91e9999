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
import type { WireProblem } from '../../../shared/validationProtocol';

export function validateForEditor(doc: WorkflowDocument, objectInfo: Record<string, unknown>, defs: NodeDefs, locale: string): WireProblem[] {
  const problems: WireProblem[] =
    doc.format === 'ui' ? validateUiWorkflow(doc.text, objectInfo as ObjectInfo, { locale, defs }) : validateWorkflow(doc, defs, { locale });
  return problems.filter((p) => p.code !== 'syntax_error');
}

/** The worker's entry point for one request: parses the text itself (a parsed tree is not worth cloning). */
export function validateText(text: string, objectInfo: Record<string, unknown>, defs: NodeDefs, locale: string): WireProblem[] {
  return validateForEditor(parseWorkflowDocument(text), objectInfo, defs, locale);
}
