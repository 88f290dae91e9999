// Decides which open JSON documents are ComfyUI workflows and keeps one parsed WorkflowDocument per document
// version, shared by diagnostics, completion, hover, code actions and code lenses (a keystroke parses once).
//
// Workflow files stay in VS Code's `json` language (formatting, folding and outline keep working); a file is a
// workflow by its content (API prompt, /prompt request body, or UI graph), unless `comfyui.workflowFiles` forces it
// in or out. Plain JSON is never a workflow: a cheap substring sniff rejects it before any parsing.
import * as vscode from 'vscode';
import { parseWorkflowDocument, type WorkflowDocument, type WorkflowFormat } from '../../core/workflow/document';
import { checkTextLimits } from '../../core/workflow/limits';
import { sniffTextFormat } from '../../core/workflow/format';
import { isWorkflowContent } from '../language/worker/editorValidation';
import { matchesAny } from '../common/glob';
import type { WorkflowFilesSetting } from '../common/config';

/** Above this size a workflow gets one information message instead of live validation (keeps the editor fluid). */
export const MAX_LIVE_BYTES = 5 * 1024 * 1024;
/**
 * Above this size the extension host does not parse a workflow on open or edit (parsing costs ~140 ms per MB, and
 * the host must never be blocked > 50 ms by a file): validation and the unsafe-node check parse it in the worker;
 * completion, hover and quick fixes parse it on the host only when asked (`workflow()`).
 */
export const HOST_PARSE_BYTES = 256 * 1024;

export type Membership = 'content' | 'include' | 'exclude' | 'none';

export interface WorkflowEntry {
  uri: vscode.Uri;
  version: number;
  /** Why the document is (or is not) a workflow. */
  membership: Membership;
  isWorkflow: boolean;
  /** Too large for live features; `parsed` is undefined then. */
  tooLarge: boolean;
  /** Not parsed on the host on open/edit (larger than HOST_PARSE_BYTES); `parsed` is filled on first request. */
  deferred: boolean;
  format: WorkflowFormat;
  parsed: WorkflowDocument | undefined;
}

const JSON_LANGUAGES = new Set(['json', 'jsonc']);

export class WorkflowDocuments implements vscode.Disposable {
  private readonly entries = new Map<string, WorkflowEntry>();
  private readonly _onDidChangeMembership = new vscode.EventEmitter<WorkflowEntry>();
  /** Fires when a document becomes or stops being a workflow. */
  readonly onDidChangeMembership = this._onDidChangeMembership.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChangeMembership];

  constructor(private files: WorkflowFilesSetting) {
    this.disposables.push(vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString())));
  }

  /** New include/exclude globs: every cached answer may change. */
  setWorkflowFiles(files: WorkflowFilesSetting): void {
    this.files = files;
    const before = new Map([...this.entries].map(([k, e]) => [k, e.isWorkflow]));
    this.entries.clear();
    for (const doc of vscode.workspace.textDocuments) {
      const was = before.get(doc.uri.toString());
      if (was === undefined) continue;
      const now = this.get(doc);
      if (now.isWorkflow !== was) this._onDidChangeMembership.fire(now);
    }
  }

  /** The entry for the document's current version (parsing at most once per version). */
  get(doc: vscode.TextDocument): WorkflowEntry {
    const key = doc.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === doc.version) return cached;
    const entry = this.compute(doc);
    this.entries.set(key, entry);
    if (cached && cached.isWorkflow !== entry.isWorkflow) this._onDidChangeMembership.fire(entry);
    return entry;
  }

  /**
   * The parsed document when it is a live workflow, else undefined. A deferred (large) document is parsed here, once
   * per version: call this only for something the user asked for (completion, hover, a quick fix, a command).
   */
  workflow(doc: vscode.TextDocument): (WorkflowEntry & { parsed: WorkflowDocument }) | undefined {
    const e = this.get(doc);
    if (e.deferred && e.isWorkflow && !e.parsed) {
      e.parsed = parseWorkflowDocument(doc.getText());
      e.format = e.parsed.format;
      if (!isWorkflowContent(e.parsed) && e.membership !== 'include') e.isWorkflow = false;
    }
    return e.isWorkflow && e.parsed ? (e as WorkflowEntry & { parsed: WorkflowDocument }) : undefined;
  }

  private compute(doc: vscode.TextDocument): WorkflowEntry {
    const base = { uri: doc.uri, version: doc.version, tooLarge: false, deferred: false, format: 'none' as WorkflowFormat, parsed: undefined };
    if (!JSON_LANGUAGES.has(doc.languageId)) return { ...base, membership: 'none', isWorkflow: false };
    const path = doc.uri.path;
    const rel = vscode.workspace.getWorkspaceFolder(doc.uri) ? vscode.workspace.asRelativePath(doc.uri, false) : undefined;
    if (matchesAny(this.files.exclude, path, rel)) return { ...base, membership: 'exclude', isWorkflow: false };
    const included = matchesAny(this.files.include, path, rel);
    const text = doc.getText();
    if (!included && !sniff(text)) return { ...base, membership: 'none', isWorkflow: false };
    if (text.length > MAX_LIVE_BYTES) {
      return { ...base, membership: included ? 'include' : 'content', isWorkflow: true, tooLarge: true };
    }
    if (text.length > HOST_PARSE_BYTES || checkTextLimits(text, { maxDepth: HOST_PARSE_DEPTH, maxValues: Infinity })?.kind === 'depth') {
      // Membership by the sniff until the worker (or a request) parses it; the format, for the lens, is the one
      // detector's rules over the text's first 64 KB (parsing here is what deferring avoids).
      return {
        ...base,
        membership: included ? 'include' : 'content',
        isWorkflow: true,
        deferred: true,
        format: sniffTextFormat(text),
      };
    }
    const parsed = parseWorkflowDocument(text);
    const byContent = isWorkflowContent(parsed);
    return {
      ...base,
      membership: included ? 'include' : byContent ? 'content' : 'none',
      isWorkflow: included || byContent,
      format: parsed.format,
      parsed,
    };
  }

  dispose(): void {
    this.entries.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** Deeper than this, a document is parsed in the worker only (deep nesting makes parsers slow and recursive). */
export const HOST_PARSE_DEPTH = 256;

/** Substrings every workflow has; files without them are skipped without parsing. */
export function sniff(text: string): boolean {
  return text.includes('class_type') || text.includes('"nodes"');
}
