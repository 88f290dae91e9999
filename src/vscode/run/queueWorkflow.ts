// "ComfyUI: Queue Workflow" and its variants (front of the queue, N times). The file is checked locally first; each
// queued copy gets its seeds per control mode; a 400 from the server lands in the file as diagnostics; the seeds for
// the next run are written back into the file like the web UI moves its widgets.
import * as vscode from 'vscode';
import { parse, type ParseError } from 'jsonc-parser';
import type { ObjectInfo } from '../../core/comfy/types';
import { isCancellation, isHttpError, isPromptValidationError } from '../../core/comfy/errors';
import type { ComfyClient } from '../../core/comfy/client';
import { formatMessage, resolveLocale } from '../../core/workflow/messages';
import { explainReplacementCrash, parseNodeReplacements, type ReplacementCrash } from '../../core/workflow/nodeReplacements';
import { newPromptId } from '../../core/comfy/ids';
import { buildPromptRequest, detectSourceFormat, promptPathPrefix, PromptSourceError, type SourceFormat } from '../../core/queue/promptSource';
import {
  findApiControls,
  findUiControls,
  hasMovingControls,
  isControlMode,
  planSeedRuns,
  seedWriteBackEdits,
  withValues,
  type ControlMode,
  type SeedControl,
} from '../../core/queue/seedControl';
import { ProblemLocator, apiPathResolver, promptErrorProblems, uiFallbackResolver, type PathResolver } from '../../core/queue/serverErrors';
import { SubmitUncertainError, submitPrompt } from '../../core/queue/submit';
import { parseWorkflowDocument } from '../../core/workflow/document';
import type { NodeDefs } from '../../core/workflow/nodeDefs';
import { convertUiWorkflow, type ConvertResult } from '../../core/workflow/toPrompt';
import { validateWorkflow } from '../../core/workflow/validate';
import { validateUiWorkflow } from '../../core/workflow/ui/validateUi';
import type { RunConnection, RunMonitor } from './runMonitor';
import type { ServerDiagnostics } from '../language/serverDiagnostics';
import { noServerMessage } from '../common/commands';
import { baseName } from '../common/format';
import { toRange } from '../common/convert';
import { errorMessage } from '../../core/util/errorMessage';
import type { SourceRegistry } from './sources';
import type { Logger } from '../../core/util/logger';

export interface QueueDeps {
  connection: RunConnection;
  defs: () => NodeDefs | undefined;
  monitor: RunMonitor;
  diagnostics: ServerDiagnostics;
  sources: SourceRegistry;
  log: Logger;
  /** Called after prompts were queued (refreshes the Queue view). */
  onQueued?: () => void;
  /**
   * Last check before anything is sent (run/queueGuard.ts: untrusted workspace, nodes that run
   * arbitrary code). False cancels quietly: the user said no.
   */
  beforeQueue?: (request: { fileName: string; root: unknown; server?: string }) => Promise<boolean>;
  timeoutMs?: () => number;
  /**
   * The errors of the editor's own validation of `doc` (the worker, with the server's version rules and node
   * replacements): the count the Problems panel shows. Without it (tests of the run feature alone) a plain local
   * check on this thread stands in.
   */
  localErrors?: (doc: vscode.TextDocument) => Promise<number>;
}

export interface QueueVariant {
  front?: boolean;
  count?: number;
}

export interface QueueOutcome {
  promptIds: string[];
  /** Why nothing (more) was queued, when it stopped early. */
  stopped?: 'cancelled' | 'local-problems' | 'server-rejected' | 'error';
}

/** The classes a UI workflow uses, as an /object_info subset for the converter (built from the cached definitions). */
export function objectInfoFor(workflow: unknown, defs: NodeDefs): ObjectInfo {
  const out: ObjectInfo = {};
  const visit = (nodes: unknown) => {
    if (!Array.isArray(nodes)) return;
    for (const n of nodes) {
      const type = typeof n === 'object' && n !== null ? (n as { type?: unknown }).type : undefined;
      if (typeof type !== 'string' || type in out) continue;
      const def = defs.get(type);
      if (def) out[type] = def.raw as ObjectInfo[string];
    }
  };
  const w = workflow as { nodes?: unknown; definitions?: { subgraphs?: unknown }; extra?: { groupNodes?: unknown } } | undefined;
  visit(w?.nodes);
  if (Array.isArray(w?.definitions?.subgraphs)) for (const sg of w.definitions.subgraphs) visit((sg as { nodes?: unknown })?.nodes);
  // Legacy group nodes keep their inner nodes in `extra.groupNodes[Name].nodes` (issue 13, finding 5): without
  // them, classes used only inside a group node counted as missing and their widget values were dropped.
  // (Local fix; the core's one UI-graph expansion, issue 13 deliver 3, is meant to replace this walk.)
  const groups = w?.extra?.groupNodes;
  if (typeof groups === 'object' && groups !== null) for (const g of Object.values(groups)) visit((g as { nodes?: unknown } | null)?.nodes);
  return out;
}

/** Paths of API (node, input) in the UI file, through the conversion's source map. */
export function sourceMapResolver(conv: ConvertResult, fallback: PathResolver): PathResolver {
  return (nodeId, inputName) => {
    const entry = conv.sourceMap[nodeId];
    if (!entry) return fallback(nodeId, inputName);
    if (inputName !== undefined && entry.inputs[inputName]) return entry.inputs[inputName];
    return entry.node;
  };
}

function readSettings(uri: vscode.Uri): { apiSeedControl: ControlMode; updateSeeds: boolean } {
  const c = vscode.workspace.getConfiguration('comfyui.queue', uri);
  const mode = c.get<string>('apiSeedControl');
  return { apiSeedControl: isControlMode(mode) ? mode : 'fixed', updateSeeds: c.get<boolean>('updateSeedsAfterQueue') !== false };
}

async function resolveDocument(target: unknown): Promise<{ doc: vscode.TextDocument; wasOpen: boolean } | undefined> {
  const uri = target instanceof vscode.Uri ? target : undefined;
  if (uri) {
    const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    return { doc: await vscode.workspace.openTextDocument(uri), wasOpen };
  }
  const doc = vscode.window.activeTextEditor?.document;
  return doc ? { doc, wasOpen: true } : undefined;
}

export class WorkflowQueuer {
  constructor(private readonly deps: QueueDeps) {}

  /** Command entry: `target` is the Uri from the explorer / editor title, else the active editor is used. */
  async queueCommand(target: unknown, variant: QueueVariant): Promise<QueueOutcome> {
    const resolved = await resolveDocument(target);
    if (!resolved) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a ComfyUI workflow file to queue it.'));
      return { promptIds: [], stopped: 'error' };
    }
    try {
      return await this.queueDocument(resolved.doc, variant, resolved.wasOpen);
    } catch (error) {
      if (isCancellation(error)) return { promptIds: [], stopped: 'cancelled' };
      this.deps.log.error('Queueing failed:', error);
      void vscode.window.showErrorMessage(errorMessage(error));
      return { promptIds: [], stopped: 'error' };
    }
  }

  async queueDocument(doc: vscode.TextDocument, variant: QueueVariant, writeBackAllowed = true): Promise<QueueOutcome> {
    const { connection, diagnostics, log } = this.deps;
    const count = Math.max(1, Math.min(1000, Math.floor(variant.count ?? 1)));
    const text = doc.getText();
    const version = doc.version;
    const errors: ParseError[] = [];
    const root = parse(text, errors, { allowTrailingComma: true });
    if (errors.length > 0) throw new PromptSourceError(vscode.l10n.t('{0} is not valid JSON; fix the syntax errors before queueing.', baseName(doc.uri)));
    const format = detectSourceFormat(root);
    if (format === 'none')
      throw new PromptSourceError(vscode.l10n.t('{0} is not a ComfyUI workflow (API format, /prompt body, or UI workflow).', baseName(doc.uri)));
    const client = connection.client;
    if (!client) throw new PromptSourceError(noServerMessage());
    if (this.deps.beforeQueue && !(await this.deps.beforeQueue({ fileName: baseName(doc.uri), root }))) return { promptIds: [], stopped: 'cancelled' };
    const defs = this.deps.defs();

    // Local check before anything is sent.
    const convert = format === 'ui' ? this.uiConverter(defs) : undefined;
    const localErrors = this.deps.localErrors ? await this.deps.localErrors(doc) : this.localErrors(text, root, format, defs);
    if (localErrors > 0) {
      const show = vscode.l10n.t('Show Problems');
      const anyway = vscode.l10n.t('Queue Anyway');
      const pick = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} has {1} problem(s) the server will likely reject.', baseName(doc.uri), localErrors),
        show,
        anyway,
      );
      if (pick === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
      if (pick !== anyway) return { promptIds: [], stopped: 'local-problems' };
    }

    const settings = readSettings(doc.uri);
    const controls: SeedControl[] =
      format === 'ui'
        ? findUiControls(root)
        : findApiControls(
            format === 'request' ? (root as { prompt: unknown }).prompt : root,
            settings.apiSeedControl,
            promptPathPrefix(format),
            (cls, name) => {
              const input = defs?.get(cls)?.inputByName.get(name);
              return input && input.min !== undefined && input.max !== undefined ? { min: input.min, max: input.max, step: input.step ?? 1 } : undefined;
            },
          );
    const plan = planSeedRuns(controls, count);
    const promptIds: string[] = [];
    let stopped: QueueOutcome['stopped'];
    for (let k = 0; k < count; k++) {
      const variantRoot = controls.length ? withValues(root, controls, plan.runs[k]!) : root;
      const conv = convert ? convert(variantRoot) : undefined;
      const body = buildPromptRequest(variantRoot, format, {
        promptId: newPromptId(),
        clientId: connection.clientId,
        sourceText: text,
        ...(variant.front ? { front: true } : {}),
        ...(conv ? { convertUi: () => conv } : {}),
      });
      try {
        const res = await submitPrompt(client, body, { ...(this.deps.timeoutMs ? { timeoutMs: this.deps.timeoutMs() } : {}) });
        const promptId = res.prompt_id;
        promptIds.push(promptId);
        if (k === 0) diagnostics.clear(doc.uri);
        const resolver = conv ? sourceMapResolver(conv, uiFallbackResolver(variantRoot)) : undefined;
        this.deps.sources.record(promptId, { uri: doc.uri.toString(), name: baseName(doc.uri), format, queuedAt: Date.now() }, resolver);
        this.deps.monitor.track(promptId, body.prompt, client, { index: k, count });
        log.info(`Queued ${baseName(doc.uri)} as ${promptId} (#${res.number}${res.recovered ? ', recovered after a lost answer' : ''})`);
        const partial = Object.keys(res.node_errors ?? {}).length;
        if (partial > 0)
          this.showServerProblems(doc, text, format, variantRoot, conv, { error: { type: 'partial', message: '', details: '' }, node_errors: res.node_errors });
      } catch (error) {
        if (isPromptValidationError(error)) {
          const n = this.showServerProblems(doc, text, format, variantRoot, conv, error.promptError);
          const show = vscode.l10n.t('Show Problems');
          void vscode.window
            .showErrorMessage(
              vscode.l10n.t('The server rejected {0}: {1} ({2} problem(s) marked in the file).', baseName(doc.uri), error.promptError.error.message, n),
              show,
            )
            .then((p) => {
              if (p === show) void vscode.commands.executeCommand('workbench.actions.view.problems');
            });
          stopped = 'server-rejected';
          break;
        }
        const crash = isHttpError(error, 500) ? await this.replacementCrash(client, body.prompt, defs) : undefined;
        if (crash) {
          void vscode.window.showErrorMessage(
            formatMessage(resolveLocale(vscode.env.language), 'replacementCrash', {
              id: crash.nodeId,
              classType: crash.classType,
              replacement: crash.replacement,
            }),
          );
          stopped = 'server-rejected';
          break;
        }
        if (error instanceof SubmitUncertainError) {
          const open = vscode.l10n.t('Open Queue');
          void vscode.window.showWarningMessage(error.message, open).then((p) => {
            if (p === open) void vscode.commands.executeCommand('comfyui.queue.focus');
          });
          stopped = 'error';
          break;
        }
        throw error;
      }
    }
    if (promptIds.length > 0) {
      this.deps.onQueued?.();
      if (writeBackAllowed && settings.updateSeeds && hasMovingControls(controls)) await this.writeBackSeeds(doc, version, text, controls, plan.next);
    }
    return stopped ? { promptIds, stopped } : { promptIds };
  }

  /**
   * 0.33 answers 500 "Server got itself in trouble" to a prompt with a missing class that has a registered
   * replacement: ask the server's /node_replacements which node that is. Undefined when it is not that.
   */
  private async replacementCrash(queueClient: object, prompt: unknown, defs: NodeDefs | undefined): Promise<ReplacementCrash | undefined> {
    // The run flow's client is typed by what queueing needs; the real one (ComfyClient) can also read the registry.
    const client = queueClient as Partial<Pick<ComfyClient, 'getNodeReplacements'>>;
    if (typeof client.getNodeReplacements !== 'function') return undefined;
    try {
      const replacements = parseNodeReplacements(await client.getNodeReplacements({ timeoutMs: 5000 }));
      return explainReplacementCrash(500, prompt, replacements, (c) => defs?.has(c) ?? false);
    } catch (error) {
      this.deps.log.warn('Could not read /node_replacements to explain a server error:', error);
      return undefined;
    }
  }

  private uiConverter(defs: NodeDefs | undefined): (workflow: unknown) => ConvertResult {
    if (!defs)
      throw new PromptSourceError(
        vscode.l10n.t(
          'UI workflows are converted with the server’s node definitions, and none are loaded yet; connect to the server or set comfyui.objectInfoPath.',
        ),
      );
    return (workflow) => convertUiWorkflow(workflow, objectInfoFor(workflow, defs));
  }

  /** Errors the server would reject: validator errors, plus conversion errors for UI files. */
  private localErrors(text: string, root: unknown, format: SourceFormat, defs: NodeDefs | undefined): number {
    if (!defs) return 0; // nothing to check against; the server will tell
    try {
      if (format === 'ui') return validateUiWorkflow(text, objectInfoFor(root, defs), { defs }).filter((p) => p.severity === 'error').length;
      return validateWorkflow(parseWorkflowDocument(text), defs).filter((p) => p.severity === 'error').length;
    } catch (error) {
      this.deps.log.warn('The local check before queueing failed; queueing without it:', error);
      return 0;
    }
  }

  private showServerProblems(
    doc: vscode.TextDocument,
    text: string,
    format: SourceFormat,
    root: unknown,
    conv: ConvertResult | undefined,
    body: Parameters<typeof promptErrorProblems>[0],
  ): number {
    const fallback = format === 'ui' ? uiFallbackResolver(root) : apiPathResolver(promptPathPrefix(format));
    const resolver = conv ? sourceMapResolver(conv, fallback) : fallback;
    const problems = promptErrorProblems(body, new ProblemLocator(text, resolver));
    // Only if the user has not edited meanwhile: otherwise the offsets would point at the wrong text.
    if (doc.getText() === text) this.deps.diagnostics.set(doc, problems);
    return problems.length;
  }

  private async writeBackSeeds(doc: vscode.TextDocument, version: number, text: string, controls: SeedControl[], next: number[]): Promise<void> {
    if (doc.version !== version) return; // the user typed meanwhile; never guess where the literals went
    const edits = seedWriteBackEdits(text, controls, next);
    if (edits.length === 0) return;
    const we = new vscode.WorkspaceEdit();
    for (const e of edits) we.replace(doc.uri, toRange(doc, e), e.newText);
    await vscode.workspace.applyEdit(we);
  }
}
