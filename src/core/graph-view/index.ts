// The workflow graph renderer: text → scene (./fromUi.ts, ./fromApi.ts) → SVG (./svg.ts). Pure: no DOM, no vscode.
import type { ObjectInfo } from '../comfy/types';
import { parseWorkflowDocument, type WorkflowDocument } from '../workflow/document';
import { prepareNodeDefs } from '../workflow/nodeDefs';
import { validateUiWorkflow } from '../workflow/ui/validateUi';
import { validateWorkflow } from '../workflow/validate';
import { apiScene } from './fromApi';
import { uiScene } from './fromUi';
import type { ProblemSeverity, Scene, SceneOptions } from './scene';

export * from './scene';
export { renderSvg, sceneToSvgTree, type GraphTheme } from './svg';
export { startGraphRun, reduceGraphRun, type GraphRun } from './runState';

/** What the renderer needs from a problem (validation and server problems both fit). */
export interface ProblemLike {
  severity: ProblemSeverity;
  message: string;
  code?: string;
  nodeId?: string;
  range?: { offset: number; length: number };
}

/** The scene of a workflow document, or undefined when it is neither a UI workflow nor an API prompt/request. */
export function sceneOfDocument(doc: WorkflowDocument, options: SceneOptions = {}): Scene | undefined {
  if (doc.format === 'api' || doc.format === 'request') return apiScene(doc, options);
  if (doc.format === 'ui') {
    let json: unknown;
    try {
      json = JSON.parse(doc.text);
    } catch {
      // Half-typed UI file: nothing reliable to draw (the API path tolerates this, LiteGraph geometry needs the whole file).
      return undefined;
    }
    return uiScene(json, options);
  }
  return undefined;
}

/** @internal The scene of a text (tests and tools; the editor and CLI hold a parsed document already). */
export function sceneOfText(text: string, options: SceneOptions = {}): Scene | undefined {
  return sceneOfDocument(parseWorkflowDocument(text), options);
}

/** Puts problems on the nodes they name (see `sceneNodeId`). */
export function attachProblems(scene: Scene, problems: readonly ProblemLike[]): void {
  const byId = new Map(scene.nodes.map((n) => [n.id, n]));
  for (const p of problems) {
    if (p.nodeId === undefined) continue;
    const id = sceneNodeId(scene, p.nodeId);
    const node = id !== undefined ? byId.get(id) : undefined;
    if (!node) continue;
    node.problems.push({
      severity: p.severity,
      message: p.message,
      ...(p.code !== undefined ? { code: p.code } : {}),
      ...(p.range ? { offset: p.range.offset } : {}),
    });
  }
}

/**
 * The scene node an execution id (`outer:inner` inside subgraphs and group nodes, as the validator and the server
 * name them) shows on: at a level opened through `level` the segment after that prefix, at the root the first
 * segment (something inside a subgraph shows on its instance). Undefined when the id is outside this level.
 */
export function sceneNodeId(scene: Pick<Scene, 'breadcrumb'> & { nodes: readonly { id: string }[] }, execId: string): string | undefined {
  const prefix = scene.breadcrumb.map((b) => `${b.step}:`).join('');
  let id = execId;
  if (prefix) {
    if (!id.startsWith(prefix)) return undefined;
    id = id.slice(prefix.length);
  }
  if (scene.nodes.some((n) => n.id === id)) return id;
  const colon = id.indexOf(':');
  return colon >= 0 ? id.slice(0, colon) : id;
}

/** Validation problems of a document against definitions (the same APIs the diagnostics use). */
export function validationProblems(doc: WorkflowDocument, objectInfo: ObjectInfo): ProblemLike[] {
  if (doc.format === 'ui') return validateUiWorkflow(doc.text, objectInfo);
  if (doc.format === 'api' || doc.format === 'request') return validateWorkflow(doc, prepareNodeDefs(objectInfo));
  return [];
}

/**
 * Node ids in execution order: sources before the nodes they feed (Kahn's algorithm), ties in scene order (UI
 * files: their saved `order`-sorted list is close to this already). Nodes in cycles come last, in scene order.
 */
export function executionOrder(scene: Scene): string[] {
  const indeg = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const n of scene.nodes) indeg.set(n.id, 0);
  for (const l of scene.links) {
    if (!indeg.has(l.from) || !indeg.has(l.to) || l.from === l.to) continue;
    indeg.set(l.to, indeg.get(l.to)! + 1);
    const list = next.get(l.from);
    if (list) list.push(l.to);
    else next.set(l.from, [l.to]);
  }
  const rank = new Map(scene.nodes.map((n, i) => [n.id, i]));
  const ready = scene.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const out: string[] = [];
  const done = new Set<string>();
  // A binary heap would be O(n log n); scenes are small enough (≤ a few thousand nodes) that sorted insertion is fine.
  while (ready.length > 0) {
    const id = ready.shift()!;
    out.push(id);
    done.add(id);
    for (const t of next.get(id) ?? []) {
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) {
        const rt = rank.get(t)!;
        let i = ready.length;
        while (i > 0 && rank.get(ready[i - 1]!)! > rt) i--;
        ready.splice(i, 0, t);
      }
    }
  }
  for (const n of scene.nodes) if (!done.has(n.id)) out.push(n.id);
  return out;
}
