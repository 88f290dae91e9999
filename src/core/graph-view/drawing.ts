// What the graph panel shows of a workflow text, built in one call (by the validation worker, or in-process when no
// worker can start): the SVG element tree as UTF-8 JSON bytes, the scene's outline and the execution order. The
// tree is bytes because it is the bulk (≈ 1.5 MB for 1,000 nodes): bytes cross to the extension host and on to the
// webview as one buffer, while an object tree of that size costs the host ≈ 70 ms to structured-clone on arrival.
import { parseWorkflowDocument } from '../workflow/document';
import type { NodeDefs } from '../workflow/nodeDefs';
import { attachProblems, executionOrder, sceneOfDocument, sceneToSvgTree, type GraphTheme, type ProblemLike } from './index';
import { thumbnailBox, type BreadcrumbStep, type NodeBox, type Scene, type SceneProblem } from './scene';
import type { SvgElement } from './svgTree';
import type { JsonPath } from '../workflow/ui/types';

/** A node as the host and the page need it: which JSON it is, where its box is, its drill step and problem marks. */
export interface OutlineNode {
  id: string;
  /** The node's JSON path (the host reveals and highlights with it). */
  path: JsonPath;
  x: number;
  y: number;
  w: number;
  h: number;
  drill?: string;
  /** Where an output thumbnail goes, relative to the node (`thumbnailBox`). */
  thumb: NodeBox;
  /** The problems' messages are in the tree's badge titles already; the page needs the count and the offset. */
  problems: Omit<SceneProblem, 'message'>[];
}

/** The part of a Scene the host and the page use besides the drawing (≈ 4 % of the scene's size). */
export interface SceneOutline {
  nodes: OutlineNode[];
  breadcrumb: BreadcrumbStep[];
  bounds: Scene['bounds'];
}

export interface GraphDrawing {
  outline: SceneOutline;
  /** `sceneToSvgTree` of the scene as UTF-8 JSON (`decodeSvgTree` reads it back). */
  tree: Uint8Array;
  /** Node ids in execution order (the page's Tab order). */
  order: string[];
}

export interface DrawingOptions {
  objectInfo?: Record<string, unknown> | undefined;
  defs?: NodeDefs | undefined;
  level: readonly string[];
  /** Problems to badge on their nodes (validation and the server's verdicts, from the editor's diagnostics). */
  problems: readonly ProblemLike[];
  theme: GraphTheme;
  fluid: boolean;
}

/** The drawing of a workflow text, or undefined when it cannot be drawn (not a workflow, a half-typed UI file). */
export function drawWorkflowText(text: string, options: DrawingOptions): GraphDrawing | undefined {
  const scene = sceneOfDocument(parseWorkflowDocument(text), {
    ...(options.objectInfo ? { objectInfo: options.objectInfo } : {}),
    ...(options.defs ? { defs: options.defs } : {}),
    level: options.level,
  });
  if (!scene) return undefined;
  attachProblems(scene, options.problems);
  const tree = sceneToSvgTree(scene, { theme: options.theme, fluid: options.fluid });
  return { outline: outlineOf(scene), tree: encodeSvgTree(tree), order: executionOrder(scene) };
}

export function outlineOf(scene: Scene): SceneOutline {
  return {
    nodes: scene.nodes.map((n) => ({
      id: n.id,
      path: n.path,
      x: n.x,
      y: n.y,
      w: n.w,
      h: n.h,
      thumb: thumbnailBox(n),
      ...(n.drill !== undefined ? { drill: n.drill } : {}),
      problems: n.problems.map(({ severity, code, offset }) => ({
        severity,
        ...(code !== undefined ? { code } : {}),
        ...(offset !== undefined ? { offset } : {}),
      })),
    })),
    breadcrumb: scene.breadcrumb,
    bounds: scene.bounds,
  };
}

export function encodeSvgTree(tree: SvgElement): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(tree));
}
