// The string input under the cursor of an API workflow (or /prompt body), shared by the providers that look at
// input values: the model-metadata hover and `embedding:` completion. UI workflows have no inputs by name.
import type * as vscode from 'vscode';
import { findInputAtOffset, findNodeAtOffset, type OffsetRange, type WorkflowInput, type WorkflowNode } from '../../core/workflow/document';
import type { WorkflowDocuments } from '../host/workflowDocuments';

export interface StringInputAt {
  node: WorkflowNode;
  input: WorkflowInput;
  value: string;
  /** The cursor offset. */
  offset: number;
  /** The JSON string literal, quotes included; callers decide whether the cursor must be inside the quotes. */
  range: OffsetRange;
}

export function stringInputAt(documents: WorkflowDocuments, doc: vscode.TextDocument, position: vscode.Position): StringInputAt | undefined {
  const entry = documents.workflow(doc);
  if (!entry || entry.format === 'ui') return undefined;
  const offset = doc.offsetAt(position);
  const node = findNodeAtOffset(entry.parsed, offset);
  const input = node && findInputAtOffset(node, offset);
  if (!node || !input || typeof input.value !== 'string') return undefined;
  return { node, input, value: input.value, offset, range: input.valueRange };
}
