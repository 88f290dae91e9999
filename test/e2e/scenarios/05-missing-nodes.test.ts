// A downloaded workflow whose custom node pack and model the server lacks: the problems name the pack (with its
// repository and the version the workflow was saved with) and the model's folder and download URL, and
// "ComfyUI: Show Missing Nodes and Models" lists them with where each answer came from.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenario, useE2E } from '../harness/scenario';

const FIX = join(__dirname, '..', '..', 'fixtures', 'packs');
const objectInfo = JSON.parse(readFileSync(join(FIX, 'object_info.json'), 'utf8')) as Record<string, { input: { required: Record<string, unknown[]> } }>;
// The server has a different diffusion model only, so the workflow's model is plainly missing.
objectInfo.UNETLoader!.input.required.unet_name = [['flux1-dev.safetensors']];
const map = JSON.parse(readFileSync(join(FIX, 'node-map.json'), 'utf8')) as Record<string, unknown>;

const env = useE2E({
  name: 'missing-nodes',
  mock: { objectInfo, manager: { mappings: { 'https://github.com/ltdrdata/ComfyUI-Impact-Pack': map['https://github.com/ltdrdata/ComfyUI-Impact-Pack'] } } },
  // No network in tests: the Comfy Registry is not asked.
  workspaceSettings: { 'comfyui.registry.enabled': false },
  extraFiles: { 'missing.ui.json': readFileSync(join(FIX, 'missing.ui.json'), 'utf8') },
});

scenario('a missing pack and a missing model: two diagnostics that say where to get them, and the list', env, async ({ wb, page, screenshot }) => {
  await wb.openFile('missing.ui.json');
  const rows = await wb.waitForProblems(
    (r) => r.some((x) => x.includes('ltdrdata/ComfyUI-Impact-Pack')) && r.some((x) => x.includes('models/diffusion_models')),
    60_000,
  );
  assert.ok(
    rows.some((r) =>
      r.includes('"SAMLoader" is not installed on this server. It comes from ComfyUI Impact Pack (ltdrdata/ComfyUI-Impact-Pack, saved with 8.8.1).'),
    ),
    rows.join('\n'),
  );
  assert.ok(
    rows.some((r) => r.includes('is not in models/diffusion_models on this server. Download: https://huggingface.co/')),
    rows.join('\n'),
  );
  await screenshot('missing-problems', { docs: true });

  await wb.runCommand('ComfyUI: Show Missing Nodes and Models');
  await wb.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'SAMLoader' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const labels = await wb.quickPickLabels();
  assert.ok(
    labels.some((l) => l.includes('SAMLoader') && l.includes('ComfyUI Impact Pack') && l.includes('saved with 8.8.1')),
    labels.join('\n'),
  );
  assert.ok(
    labels.some((l) => l.includes('wan2.2_i2v_high_noise_14B_fp8_scaled.safetensors') && l.includes('models/diffusion_models')),
    labels.join('\n'),
  );
  assert.ok(
    labels.some((l) => l.includes('Install Missing Node Packs')),
    'Manager runs on the server: the install entry is offered',
  );
  await screenshot('missing-list', { docs: true });
  await page.keyboard.press('Escape');
});
