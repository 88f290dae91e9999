// Exactness on real pairs: UI workflows and the API prompt the real frontend queued for them (from PNG metadata,
// or the expected output of another converter's test suite). Same node ids, and per node the same class_type and
// inputs (_meta is ignored). Each pair is converted with the first dump that covers its classes, and again with
// every other covering dump: the result must not depend on the dump.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiPrompt, ObjectInfo } from '../../../src/core/comfy/types';
import { convertUiWorkflow } from '../../../src/core/workflow/toPrompt';
import { HAS_SHARED, listShared, NEEDS_SHARED, readSharedJson } from '../../helpers/shared';

const DUMPS = ['dacert__krita-comfyui__tests__comfy_client_tests__data__object_info.json', 'MeshAiProtocol__Redlip-app__object_info.json'];

interface Pair {
  name: string;
  ui: string[];
  api: string[];
  /**
   * Inputs the real frontend of the file's era sent and today's frontend does not: old frontends serialized the
   * image upload button (named "choose file to upload", later "upload") with the value "image". The server
   * ignores the input; it is left out of the comparison, and everything else must match.
   */
  eraInputs?: string[];
}

function pairs(): Pair[] {
  const out: Pair[] = listShared('fixtures', 'pairs')
    .filter((f) => f.endsWith('.ui.json'))
    .map((f) => ({ name: f.replace('.ui.json', ''), ui: ['fixtures', 'pairs', f], api: ['fixtures', 'pairs', f.replace('.ui.json', '.api.json')] }));
  for (const n of ['ComfyUI-Workflow-2024-11-13-Simple', 'ComfyUI-Workflow-2024-11-14-Advanced']) {
    out.push({
      name: n,
      ui: ['fixtures', 'ui', `rvion__comfy-ts__tests__fixtures__${n}.json`],
      api: ['fixtures', 'api', `rvion__comfy-ts__tests__fixtures__${n}.expected-prompt.json`],
    });
  }
  out.push({
    name: 'comfy-cli sd15',
    ui: ['fixtures', 'ui', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_ui_workflow.json'],
    api: ['fixtures', 'api', 'Comfy-Org__comfy-cli__tests__comfy_cli__fixtures__sd15_expected_api.json'],
  });
  const era: Record<string, string> = {
    ComfyUI_examples__controlnet__controlnet_example: 'choose file to upload',
    ComfyUI_examples__inpaint__inpaint_anythingv3_woman: 'choose file to upload',
    ComfyUI_examples__flux__flux_fill_inpaint_example: 'upload',
    'ComfyUI_examples__sd3__sd3.5_large_canny_controlnet_example': 'upload',
    ComfyUI_examples__stable_cascade__stable_cascade__canny_controlnet: 'upload',
  };
  for (const p of out) if (era[p.name]) p.eraInputs = [era[p.name]!];
  return out;
}

function strip(prompt: ApiPrompt, era: string[] = []): Record<string, { class_type: string; inputs: Record<string, unknown> }> {
  const out: Record<string, { class_type: string; inputs: Record<string, unknown> }> = {};
  for (const [id, n] of Object.entries(prompt)) {
    const inputs = { ...n.inputs };
    for (const name of era) delete inputs[name];
    out[id] = { class_type: n.class_type, inputs };
  }
  return out;
}

describe('real UI/API pairs convert exactly', { skip: NEEDS_SHARED }, () => {
  if (!HAS_SHARED) return;
  const dumps = new Map<string, ObjectInfo>(DUMPS.map((d) => [d, readSharedJson<ObjectInfo>('fixtures', 'object_info', d)]));
  const all = pairs();
  let exact = 0;
  for (const pair of all) {
    test(pair.name, () => {
      const ui = readSharedJson(...pair.ui);
      const expected = readSharedJson<ApiPrompt>(...pair.api);
      const classes = Object.values(expected).map((n) => n.class_type);
      const covering = [...dumps].filter(([, oi]) => classes.every((c) => c in oi));
      assert.ok(covering.length > 0, 'no dump covers this pair');
      for (const [name, oi] of covering) {
        const got = convertUiWorkflow(ui, oi, { dynamicPrompts: false });
        assert.deepEqual(strip(got.prompt), strip(expected, pair.eraInputs), `with ${name}`);
        assert.deepEqual(
          got.problems.filter((p) => p.severity === 'error'),
          [],
          `with ${name}`,
        );
      }
      exact++;
    });
  }
  test('count', () => {
    // 18 pairs: every one matches (5 of them apart from the era's upload-button input, see eraInputs).
    assert.equal(all.length, 18);
    assert.equal(exact, all.length);
  });
});
