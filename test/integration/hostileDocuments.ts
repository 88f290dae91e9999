// Hostile workflow documents for the editor adapters (issue 13, deliver 6, editor half) and bench case e4. Built
// from a size, for the classes of test/fixtures/editor/object_info.json; each one made the old editor hang, spend
// gigabytes or stay silent. The core/CLI corpus lives in test/hostile/ (h13core); these are the editor's own cases.

const base = (): Record<string, { class_type: string; inputs: Record<string, unknown> }> => ({
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 1,
      steps: 20,
      cfg: 8,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'b', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'x', images: ['8', 0] } },
});

export interface HostileDocument {
  name: string;
  text: string;
}

export function hostileDocuments(scale = 1): HostileDocument[] {
  const n = (k: number) => Math.max(1, Math.round(k * scale));
  const docs: HostileDocument[] = [];

  const digits = base();
  digits['3']!.inputs.cfg = `${'1'.repeat(n(100_000))}x`;
  docs.push({ name: 'a FLOAT holding a long digit string (backtracking number check)', text: JSON.stringify(digits) });

  const unknown: Record<string, unknown> = base();
  for (let i = 0; i < n(20_000); i++) unknown[String(100 + i)] = { class_type: `UnknownCustomNode${i}Xyz`, inputs: {} };
  docs.push({ name: 'many distinct unknown classes (suggestion scans)', text: JSON.stringify(unknown) });

  const ring: Record<string, unknown> = {};
  const r = n(20_000);
  for (let i = 0; i < r; i++) ring[String(i + 1)] = { class_type: 'ImageInvert', inputs: { image: [String(((i + 1) % r) + 1), 0] } };
  ring[String(r + 1)] = { class_type: 'PreviewImage', inputs: { images: ['1', 0] } };
  docs.push({ name: 'a dependency ring (one cycle spelled per member)', text: JSON.stringify(ring) });

  docs.push({
    name: 'arrays and numbers only (object-count guard)',
    text: `{"1":{"class_type":"SaveImage","inputs":{"images":[${'0,'.repeat(n(2_000_000))}0]}}}`,
  });

  const nodes: string[] = [];
  for (let i = 0; i < n(60_000); i++) nodes.push(`{"id":${i + 1},"type":"ImageInvert","mode":0,"inputs":[],"outputs":[]}`);
  docs.push({
    name: 'a UI graph of many nodes (conversion before any guard)',
    text: `{"last_node_id":${nodes.length},"last_link_id":0,"nodes":[${nodes.join(',')}],"links":[],"version":0.4}`,
  });

  const deep = JSON.stringify(base()).replace('"filename_prefix":"x"', `"filename_prefix":${'{"a":['.repeat(n(3_000))}1${']}'.repeat(n(3_000))}`);
  docs.push({ name: 'a value nested thousands of levels deep (recursive conversion)', text: deep });
  return docs;
}

/** A normal workflow with exactly one known problem (steps above the maximum), opened next to the hostile ones. */
export function normalWithOneError(): string {
  const p = base();
  p['3']!.inputs.steps = 20_000;
  return JSON.stringify(p, null, 2);
}
