// Completion, hover and quick fixes on real workflows with real /object_info dumps (../shared): at every
// class_type and every input of every node, results are non-empty where the class is known and nothing throws.
import { suite, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NEEDS_SHARED, HAS_SHARED, listShared, readSharedJson, sharedPath } from '../../helpers/shared';
import { parseWorkflowDocument, type WorkflowDocument } from '../../../src/core/workflow/document';
import { prepareNodeDefs, type NodeDefs } from '../../../src/core/workflow/nodeDefs';
import { getCompletions } from '../../../src/core/workflow/complete';
import { getHover } from '../../../src/core/workflow/hover';
import { getQuickFixes } from '../../../src/core/workflow/fixes';
import { applyEdits } from '../../../src/core/workflow/edits';
import { validateWorkflow } from '../../../src/core/workflow/validate';
import { inputDefForKey } from '../../../src/core/workflow/graph';

interface Tally {
  classSites: number;
  inputSites: number;
}

function exercise(doc: WorkflowDocument, defs: NodeDefs, label: string): Tally {
  const tally: Tally = { classSites: 0, inputSites: 0 };
  for (const node of doc.nodes) {
    const def = node.classType ? defs.get(node.classType) : undefined;
    if (node.classTypeNode) {
      const mid = node.classTypeNode.offset + Math.floor(node.classTypeNode.length / 2);
      const items = getCompletions(doc, defs, mid).items;
      assert.equal(items.length, defs.size, `${label} #${node.id}: class completion`);
      if (def) {
        assert.ok(items.some((i) => i.label === def.name));
        const h = getHover(doc, defs, mid);
        assert.ok(h && h.contents.includes(def.name), `${label} #${node.id}: class hover`);
      }
      tally.classSites++;
    }
    if (!def) continue;
    for (const input of node.inputs.values()) {
      const inputDef = inputDefForKey(def, input.name);
      const keyMid = input.keyRange.offset + 1;
      const names = getCompletions(doc, defs, keyMid).items.map((i) => i.label);
      const hk = getHover(doc, defs, keyMid);
      assert.ok(hk && hk.contents.length > 0, `${label} #${node.id}.${input.name}: key hover`);
      if (inputDef && def.inputByName.has(input.name)) assert.ok(names.includes(input.name), `${label} #${node.id}.${input.name}: key completion`);
      if (!input.valueNode) continue;
      const valueAt = input.valueRange.offset + (input.link ? 0 : Math.floor(input.valueRange.length / 2));
      const values = getCompletions(doc, defs, valueAt).items;
      const hv = getHover(doc, defs, input.valueRange.offset + 1);
      assert.ok(hv && hv.contents.length > 0, `${label} #${node.id}.${input.name}: value hover`);
      if (inputDef?.kind === 'COMBO' && (inputDef.comboValues?.length ?? 0) > 0)
        assert.ok(values.length > 0, `${label} #${node.id}.${input.name}: combo completion`);
      if (input.link && inputDef && inputDef.kind === 'socket') {
        const src = typeof input.link.sourceId === 'string' ? doc.nodeById.get(input.link.sourceId) : undefined;
        // A working link's source is among the proposals.
        const srcDef = src?.classType ? defs.get(src.classType) : undefined;
        const out = srcDef && typeof input.link.slot === 'number' ? srcDef.outputs[input.link.slot] : undefined;
        if (out && (out.type === inputDef.type || inputDef.type === '*' || out.type === '*')) {
          assert.ok(
            values.some((i) => i.insertText.startsWith(`[${JSON.stringify(src!.id)}, ${out.index}]`)),
            `${label} #${node.id}.${input.name}: link completion`,
          );
        }
      }
      tally.inputSites++;
    }
  }
  // Odd offsets anywhere in the file never throw.
  for (let o = 0; o <= doc.text.length; o += 97) {
    getCompletions(doc, defs, o);
    getHover(doc, defs, o);
  }
  return tally;
}

suite('completion and hover on real workflows', { skip: NEEDS_SHARED }, () => {
  const bigDump = HAS_SHARED ? prepareNodeDefs(readSharedJson('fixtures', 'object_info', 'MeshAiProtocol__Redlip-app__object_info.json')) : undefined;
  const pairsDump = HAS_SHARED
    ? prepareNodeDefs(readSharedJson('fixtures', 'object_info', 'dacert__krita-comfyui__tests__comfy_client_tests__data__object_info.json'))
    : undefined;

  test('API workflows with the 2,093-class dump', () => {
    const files = listShared('fixtures', 'api')
      .filter((f) => f.endsWith('.json'))
      .slice(0, 12);
    assert.ok(files.length >= 4);
    let inputs = 0;
    for (const f of files) {
      const doc = parseWorkflowDocument(readFileSync(sharedPath('fixtures', 'api', f), 'utf8'));
      if (doc.format !== 'api' && doc.format !== 'request') continue;
      inputs += exercise(doc, bigDump!, f).inputSites;
    }
    assert.ok(inputs > 100, `only ${inputs} inputs exercised`);
  });

  test('ComfyUI example pairs with a dump that covers every class', () => {
    const files = listShared('fixtures', 'pairs').filter((f) => f.endsWith('.api.json'));
    let classes = 0;
    for (const f of files) {
      const doc = parseWorkflowDocument(readFileSync(sharedPath('fixtures', 'pairs', f), 'utf8'));
      classes += exercise(doc, pairsDump!, f).classSites;
    }
    assert.ok(classes > 50);
  });

  test('quick fixes for every problem of the real workflows keep the JSON valid', () => {
    const files = listShared('fixtures', 'api').filter((f) => f.endsWith('.json'));
    let fixes = 0;
    for (const f of files) {
      const text = readFileSync(sharedPath('fixtures', 'api', f), 'utf8');
      const doc = parseWorkflowDocument(text);
      for (const p of validateWorkflow(doc, bigDump!)) {
        for (const fix of getQuickFixes(doc, bigDump!, p)) {
          JSON.parse(applyEdits(text, fix.edits));
          fixes++;
        }
      }
    }
    assert.ok(fixes > 0);
  });
});
