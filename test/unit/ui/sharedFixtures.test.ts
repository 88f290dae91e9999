// Every real UI workflow in ../shared/fixtures/ui converts or reports clear problems, with no exception, against
// big and tiny /object_info dumps alike; and what comes out is internally consistent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { uiWorkflowToPrompt } from '../../../src/core/workflow/toPrompt';
import { validateUiWorkflow } from '../../../src/core/workflow/ui/validateUi';
import { HAS_SHARED, listShared, NEEDS_SHARED, readSharedJson, sharedPath } from '../../helpers/shared';

const DUMPS = [
  'MeshAiProtocol__Redlip-app__object_info.json',
  'Kiruthika-V-G__comfyui-nodes__object_info.json',
  'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__subgraph_object_info.json',
];

describe('every shared UI fixture converts without throwing', { skip: NEEDS_SHARED }, () => {
  if (!HAS_SHARED) return;
  const dumps = DUMPS.map((d) => [d, readSharedJson<ObjectInfo>('fixtures', 'object_info', d)] as const);
  const files = listShared('fixtures', 'ui').filter((f) => f.endsWith('.json'));
  test('there are fixtures', () => assert.ok(files.length >= 40));
  for (const file of files) {
    test(file, () => {
      const text = readFileSync(sharedPath('fixtures', 'ui', file), 'utf8');
      for (const [dump, oi] of dumps) {
        const r = uiWorkflowToPrompt(text, oi);
        const where = `${file} with ${dump}`;
        assert.deepEqual(r.workflow, JSON.parse(text), where);
        for (const [id, n] of Object.entries(r.prompt)) {
          assert.equal(typeof n.class_type, 'string', where);
          assert.ok(r.sourceMap[id], `${where}: node ${id} has a source map entry`);
          for (const [name, v] of Object.entries(n.inputs)) {
            if (Array.isArray(v)) assert.ok(String(v[0]) in r.prompt, `${where}: ${id}.${name} links to an emitted node`);
          }
        }
        for (const p of r.problems) {
          assert.ok(p.message.length > 10, where);
          assert.ok(p.range.offset >= 0 && p.range.offset + p.range.length <= text.length, `${where}: ${p.code} range inside the text`);
          if (p.code === 'missing_node_type') assert.ok(p.nodeId !== undefined && p.range.length > 0, where);
        }
      }
      const problems = validateUiWorkflow(text, dumps[0]![1]);
      for (const p of problems) assert.ok(p.range.offset >= 0 && p.range.offset + p.range.length <= text.length, `${file}: validation range inside the text`);
    });
  }
});
