// Cases of the workflow language core: (a) prepare node definitions, (b) first full validation, (c) re-validation
// after a one-character edit, (d) completion. The peer baseline for (b) and (c) is vscode-json-languageservice with
// the schema a user would contribute through `jsonValidation`: one schema for the whole file, generated from the same
// node definitions, each node checked against its class through if/then on class_type.
import { getLanguageService, TextDocument, type LanguageService } from 'vscode-json-languageservice';
import type { BenchCase } from '../run';
import type { BenchInputs } from '../inputs';
import { parseWorkflowDocument } from '../../src/core/workflow/document';
import { prepareNodeDefs, type NodeDefs } from '../../src/core/workflow/nodeDefs';
import { promptSchema } from '../../src/core/workflow/schema';
import { validateWorkflow } from '../../src/core/workflow/validate';
import { getCompletions } from '../../src/core/workflow/complete';

export async function registerWorkflowCases(cases: BenchCase[], inputs: BenchInputs): Promise<void> {
  const { objectInfoText, workflowText } = inputs;
  printMemory(objectInfoText);

  cases.push({
    case: 'a. prepare node definitions (JSON.parse + prepareNodeDefs, 2,093 classes)',
    subject: { name: 'comfyui-workflows', run: () => prepareNodeDefs(JSON.parse(objectInfoText)) },
    iterations: 15,
    target: { maxMedianMs: 150 },
  });

  const warmDefs = prepareNodeDefs(JSON.parse(objectInfoText));
  const classesUsed = [...new Set(Object.values(JSON.parse(workflowText) as Record<string, { class_type: string }>).map((n) => n.class_type))];
  // The peer's schema covers every class of the dump, as a contributed schema would. Built on first use, so that
  // nothing of the peer sits in the heap while our own cases run (the runner measures all subjects first).
  let schema: ReturnType<typeof promptSchema> | undefined;
  const schemaUri = 'comfyui-schema://server/workflow.json';
  const peer = (): LanguageService => {
    schema ??= promptSchema(prepareNodeDefs(JSON.parse(objectInfoText)));
    const ls = getLanguageService({ schemaRequestService: () => Promise.reject(new Error('no remote schemas')) });
    ls.configure({ validate: true, allowComments: true, schemas: [{ uri: schemaUri, fileMatch: ['*.json'], schema }] });
    return ls;
  };
  const peerValidate = async (ls: LanguageService, text: string, version: number): Promise<number> => {
    const td = TextDocument.create('file:///workflow.json', 'json', version, text);
    const diags = await ls.doValidation(td, ls.parseJSONDocument(td));
    return diags.length;
  };

  cases.push({
    case: `b. first full validation, ${inputs.workflowNodes} nodes, ${classesUsed.length} classes (incl. lazy compiles)`,
    subject: {
      name: 'comfyui-workflows',
      // Fresh definitions each time, so every class the document uses is compiled inside the timed run.
      setup: () => prepareNodeDefs(JSON.parse(objectInfoText)),
      run: (defs) => validateWorkflow(parseWorkflowDocument(workflowText), defs as NodeDefs),
    },
    baseline: { name: 'vscode-json-languageservice (jsonValidation schema)', setup: peer, run: (ls) => peerValidate(ls as LanguageService, workflowText, 1) },
    iterations: 10,
    baselineIterations: 3,
    target: { maxMedianMs: 60, minRatio: 25 },
  });

  const edits = oneCharEdits(workflowText);
  let e = 0;
  validateWorkflow(parseWorkflowDocument(workflowText), warmDefs);
  let warmPeer: LanguageService | undefined;
  let version = 2;
  cases.push({
    case: `c. re-validation after a one-character edit, ${inputs.workflowNodes} nodes`,
    subject: { name: 'comfyui-workflows', run: () => validateWorkflow(parseWorkflowDocument(edits[e++ % edits.length]!), warmDefs) },
    baseline: {
      name: 'vscode-json-languageservice (jsonValidation schema)',
      // The peer is warmed once (the document validated) before its timed re-validations, like ours.
      setup: async () => {
        if (!warmPeer) {
          warmPeer = peer();
          await peerValidate(warmPeer, workflowText, 1);
        }
        return warmPeer;
      },
      run: (ls) => peerValidate(ls as LanguageService, edits[e++ % edits.length]!, version++),
    },
    iterations: 40,
    baselineIterations: 5,
    target: { maxMedianMs: 10, minRatio: 100 },
  });

  registerCompletionCases(cases, workflowText, warmDefs);
}

/** Heap growth of (a), as its own line: the target is at most 3× the dump's JSON size. */
function printMemory(objectInfoText: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    console.log(JSON.stringify({ case: 'a. memory', note: 'run with node --expose-gc (npm run bench does) to measure heap growth' }));
    return;
  }
  gc();
  const before = process.memoryUsage().heapUsed;
  const defs = prepareNodeDefs(JSON.parse(objectInfoText));
  gc();
  const after = process.memoryUsage().heapUsed;
  const json = Buffer.byteLength(objectInfoText);
  console.log(
    JSON.stringify({
      case: 'a. memory: heap growth after prepare',
      heap_growth_bytes: after - before,
      json_bytes: json,
      ratio: Math.round(((after - before) / json) * 100) / 100,
      target_max_ratio: 3,
      classes: defs.size,
    }),
  );
}

/** Variants of the text, each one digit changed inside a number (a typical keystroke in a widget value). */
function oneCharEdits(text: string): string[] {
  const out: string[] = [];
  const re = /: (\d+)[,\n]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && out.length < 50) {
    const at = m.index + 2;
    const digit = text[at] === '9' ? '8' : String(Number(text[at]) + 1);
    out.push(text.slice(0, at) + digit + text.slice(at + 1));
  }
  return out.length ? out : [text];
}

function registerCompletionCases(cases: BenchCase[], workflowText: string, defs: NodeDefs): void {
  const doc = parseWorkflowDocument(workflowText);
  const classAt = workflowText.indexOf('"class_type": "') + '"class_type": "'.length + 2;
  const comboMatch = /"sampler_name": "/.exec(workflowText) ?? /"ckpt_name": "/.exec(workflowText);
  const comboAt = comboMatch ? comboMatch.index + comboMatch[0].length + 1 : classAt;
  getCompletions(doc, defs, classAt);
  cases.push({
    case: 'd1. completion at a class_type value',
    subject: { name: 'comfyui-workflows', run: () => getCompletions(doc, defs, classAt) },
    iterations: 40,
    target: { maxMedianMs: 5 },
  });
  cases.push({
    case: `d2. completion at a combo value (${comboMatch ? comboMatch[0].slice(1, -4) : 'class_type'})`,
    subject: { name: 'comfyui-workflows', run: () => getCompletions(doc, defs, comboAt) },
    iterations: 40,
    target: { maxMedianMs: 5 },
  });
}
