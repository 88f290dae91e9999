// The validation worker (bundled as dist/worker.js): a worker_threads thread that runs the core's parser,
// validator and UI conversion for the editor, and builds the graph panel's drawings (scene, automatic layout with
// dagre — bundled here directly, not lazily as in dist/extension.js — and SVG tree). Requests are answered in order;
// the host enforces the time budget (it terminates and restarts this thread when a request overruns), so nothing
// here needs to be interruptible.
import { parentPort } from 'node:worker_threads';
import { prepareNodeDefs, type NodeDefs } from '../../../core/workflow/nodeDefs';
import type { HostToWorker, WorkerToHost } from '../../../shared/validationProtocol';
import { drawWorkflowText } from '../../../core/graph-view/drawing';
import { unsafeOfText, validateText } from './editorValidation';

let definitions: { generation: number; objectInfo: Record<string, unknown>; defs: NodeDefs } | undefined;

function answer(message: HostToWorker): WorkerToHost | undefined {
  if (message.type === 'definitions') {
    definitions = undefined;
    try {
      const bytes = message.objectInfoBytes;
      const objectInfo = bytes
        ? (JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Record<string, unknown>)
        : (message.objectInfo ?? {});
      definitions = { generation: message.generation, objectInfo, defs: prepareNodeDefs(objectInfo) };
      return { type: 'definitions', generation: message.generation };
    } catch (error) {
      return { type: 'definitions', generation: message.generation, error: error instanceof Error ? error.message : String(error) };
    }
  }
  const started = performance.now();
  try {
    if (message.type === 'unsafe') {
      const all = unsafeOfText(message.text, message.extra);
      return { type: 'unsafe', id: message.id, problems: all.slice(0, message.maxProblems), total: all.length };
    }
    if (message.type === 'scene') {
      // Definitions that failed to load only cost widget names and slot types: draw without them.
      const defs = message.generation !== undefined && definitions?.generation === message.generation ? definitions : undefined;
      const drawing = drawWorkflowText(message.text, {
        objectInfo: defs?.objectInfo,
        defs: defs?.defs,
        level: message.level,
        problems: message.problems,
        theme: message.theme,
        fluid: message.fluid,
      });
      return { type: 'scene', id: message.id, drawing, durationMs: performance.now() - started };
    }
    const defs = loadedDefinitions(message.generation);
    const r = validateText(message.text, defs.objectInfo, defs.defs, message.locale, message.requireContent, message.rules);
    return {
      type: 'result',
      id: message.id,
      problems: r.problems.slice(0, message.maxProblems),
      total: r.problems.length,
      isWorkflow: r.isWorkflow,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    return { type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) };
  }
}

function loadedDefinitions(generation: number): { objectInfo: Record<string, unknown>; defs: NodeDefs } {
  if (!definitions || definitions.generation !== generation) throw new Error(`definitions ${generation} were not sent`);
  return definitions;
}

parentPort?.on('message', (message: HostToWorker) => {
  const reply = answer(message);
  // A drawing's tree bytes are moved to the host, not copied.
  if (reply?.type === 'scene' && reply.drawing) parentPort?.postMessage(reply, [reply.drawing.tree.buffer as ArrayBuffer]);
  else if (reply) parentPort?.postMessage(reply);
});

parentPort?.postMessage({ type: 'ready' } satisfies WorkerToHost);
