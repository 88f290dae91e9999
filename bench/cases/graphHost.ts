// e6: the longest block of the extension host while the graph panel draws (target ≤ 50 ms, the host's rule): a real
// 55-node connected API prompt (dagre's layout: ≈ 1–1.5 ms of CPU per node) and a 1,000-node UI workflow, in an
// activated editor (vscode shim) with the bench's 2,093-class definitions. Measured per input: the panel opening
// and its first drawing, and each of a few edits followed by the re-render (debounce 0). Also printed: the bytes
// posted to the page per drawing (tree bytes + the rest as JSON). The windows include the editor's own work on the
// same edit (validation in the worker, its diagnostics). Runs when the filter is empty or names "e6".
import '../../test/helpers/vscode-shim/register';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { BenchInputs } from '../inputs';
import type { ApiPrompt, ObjectInfo } from '../../src/core/comfy/types';
import { shim } from '../../test/helpers/vscode-shim/control';
import { Uri } from '../../test/helpers/vscode-shim/base';
import { ShimTextDocument } from '../../test/helpers/vscode-shim/document';
import type { ShimWebviewPanel } from '../../test/helpers/vscode-shim/webview';
import * as vscode from '../../test/helpers/vscode-shim/index';
import { activate } from '../../src/extension';
import type { EditorServices } from '../../src/vscode/api';
import { longestBlock } from '../../test/hostile/bigObjectInfo';
import { thousandNodeUiDocument } from './graph';

const CASE = 'e6. graph panel drawing: longest block of the extension host';
const SHARED = process.env.COMFYUI_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared');
const LTX = path.join(SHARED, 'fixtures/api/WreckedMech117__MMLDX-Music_Video_Producer__workflow_templates__reference_exports__ltx25-i2v-user-export.json');
/** Each edit does the same work, so the median over them filters the noise of a loaded machine (blocks only grow). */
const EDITS = 8;

export async function register(inputs: BenchInputs): Promise<void> {
  const filter = process.argv[2];
  if (filter && !filter.split(',').some((f) => CASE.includes(f))) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'comfyui-bench-graph-host-'));
  const dump = path.join(dir, 'object_info.json');
  writeFileSync(dump, inputs.objectInfoText);
  shim.reset();
  shim.setConfig('comfyui.serverUrl', 'http://127.0.0.1:9');
  shim.setConfig('comfyui.objectInfoPath', dump);
  shim.setConfig('comfyui.validation.debounceMs', 0);
  const ctx = shim.createExtensionContext();
  try {
    const services = activate(ctx as never) as EditorServices;
    await services.ready;
    const objectInfo = JSON.parse(inputs.objectInfoText) as ObjectInfo;
    const documents = [
      { name: existsSync(LTX) ? '55-node API prompt (ltx25-i2v, real)' : '55-node API prompt (generated, connected)', text: fiftyFiveNodePrompt() },
      { name: '1,000-node UI workflow', text: thousandNodeUiDocument(inputs, objectInfo).doc.text },
    ];
    // Warm-up (not measured): module loading, JIT, the worker's start-up and its definitions.
    await drawOnce(services, documents[0]!.text, 'warm');
    const results = [];
    for (const d of documents) results.push({ name: d.name, ...(await drawOnce(services, d.text, d.name)) });
    const idle = await longestBlock(() => new Promise((r) => setTimeout(r, 3000)));
    const round = (n: number) => Math.round(n * 10) / 10;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(
      JSON.stringify({
        case: CASE,
        // The worse document's median window (open and edits), and the longest single window seen.
        median_ms: round(Math.max(...results.map((r) => median([r.openMs, ...r.editMs])))),
        p95_ms: round(Math.max(...results.flatMap((r) => [r.openMs, ...r.editMs]))),
        baseline: null,
        baseline_median_ms: null,
        ratio: null,
        target: { maxMedianMs: 50 },
        idle_floor_ms: round(idle),
        documents: results.map((r) => ({
          name: r.name,
          open_ms: round(r.openMs),
          edit_median_ms: round(median(r.editMs)),
          edit_ms: r.editMs.map(round),
          message_bytes: r.messageBytes,
        })),
      }),
    );
  } finally {
    ctx.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens the document and its graph panel, then edits it a few times; the longest block of each phase. */
async function drawOnce(services: EditorServices, text: string, name: string): Promise<{ openMs: number; editMs: number[]; messageBytes: number }> {
  // The shim's own bookkeeping (line index) and the editor's validation of the opened file are outside the windows.
  const doc = new ShimTextDocument(Uri.file(`/workspace/graph-${name.replace(/\W+/g, '-')}.json`), 'json', text);
  vscode.addDocument(doc);
  await services.diagnostics.validateNow(doc as never);
  let panel: ShimWebviewPanel | undefined;
  const openMs = await longestBlock(async () => {
    await vscode.commands.executeCommand('comfyui.showWorkflowGraph', doc.uri);
    panel = vscode.state.webviewPanels.find((p) => p.viewType === 'comfyui.graph' && !p.disposed);
    if (!panel) throw new Error('no graph panel');
    panel.receive({ type: 'ready' });
    await sceneCount(panel, 1);
  });
  const editMs: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const contentChanges = doc.applyEdits([{ range: new vscode.Range(doc.positionAt(1), doc.positionAt(1)), newText: ' ' }]);
    const before = scenes(panel!).length;
    editMs.push(
      await longestBlock(async () => {
        vscode.state.events.changeDoc.fire({ document: doc, contentChanges, reason: undefined });
        await sceneCount(panel!, before + 1);
      }),
    );
  }
  const last = scenes(panel!).at(-1)!;
  const { tree, ...rest } = last;
  const messageBytes = tree.byteLength + Buffer.byteLength(JSON.stringify(rest));
  panel!.dispose();
  vscode.closeDocument(doc);
  return { openMs, editMs, messageBytes };
}

type Posted = { type: 'scene'; tree: Uint8Array } & Record<string, unknown>;
const scenes = (panel: ShimWebviewPanel): Posted[] => panel.posted.filter((m): m is Posted => (m as { type?: string }).type === 'scene');

async function sceneCount(panel: ShimWebviewPanel, n: number): Promise<void> {
  const end = Date.now() + 120_000;
  while (scenes(panel).length < n) {
    if (Date.now() > end) throw new Error('the graph panel posted no scene within 120 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The real 55-node prompt from ../shared, else a connected one of the same size (each node fed by the two before it). */
function fiftyFiveNodePrompt(): string {
  if (existsSync(LTX)) return readFileSync(LTX, 'utf8');
  const prompt: ApiPrompt = {};
  for (let i = 1; i <= 55; i++) {
    const inputs: Record<string, unknown> = { strength: i / 55 };
    if (i > 1) inputs.a = [String(i - 1), 0];
    if (i > 2) inputs.b = [String(i - 2), 0];
    prompt[String(i)] = { class_type: `Bench${i % 7}`, inputs } as ApiPrompt[string];
  }
  return JSON.stringify(prompt, null, 2);
}
