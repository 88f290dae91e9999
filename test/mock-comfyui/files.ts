// The data directory of the mock (input/, output/, temp/, models/): seeding, listings, and the name resolution the
// server does for `/view`, mask uploads and the file loaders.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { encodePng, solidImage } from './images';
import { makeSafetensors } from './safetensors';
import type { ObjectInfo } from './executor';

export interface Dirs {
  input: string;
  output: string;
  temp: string;
  models: string;
}

/** Folder names of a stock 0.3.64 (GET /models), in its order. */
export const MODEL_FOLDERS = [
  'checkpoints',
  'configs',
  'loras',
  'vae',
  'text_encoders',
  'diffusion_models',
  'clip_vision',
  'style_models',
  'embeddings',
  'diffusers',
  'vae_approx',
  'controlnet',
  'gligen',
  'upscale_models',
  'custom_nodes',
  'hypernetworks',
  'photomaker',
  'classifiers',
  'model_patches',
  'audio_encoders',
];
export const MODEL_EXTENSIONS = new Set(['.ckpt', '.pt', '.pt2', '.bin', '.pth', '.safetensors', '.pkl', '.sft']);
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);
export const DEFAULT_MODELS: Record<string, string[]> = {
  checkpoints: ['v1-5-pruned-emaonly.safetensors'],
  loras: ['example_lora.safetensors'],
  vae: ['vae-ft-mse-840000-ema-pruned.safetensors'],
};

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function listFiles(dir: string, exts: Set<string>): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (exts.has(extname(name).toLowerCase())) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export function listInputImages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile())
    .sort();
}

export function listModels(modelsDir: string): Record<string, string[]> {
  return Object.fromEntries(MODEL_FOLDERS.map((f) => [f, listFiles(join(modelsDir, f), MODEL_EXTENSIONS)]));
}

export function seedDataDir(dirs: { input: string; models: string }, models: Record<string, string[]>): void {
  for (const [folder, names] of Object.entries(models)) {
    for (const name of names) {
      const file = join(dirs.models, folder, name);
      mkdirSync(resolve(file, '..'), { recursive: true });
      if (!existsSync(file)) {
        writeFileSync(file, makeSafetensors({ 'modelspec.title': name, 'modelspec.architecture': 'mock', ss_base_model_version: 'sd_v1' }));
      }
    }
  }
  const example = join(dirs.input, 'example.png');
  if (!existsSync(example)) {
    const img = solidImage(64, 64, 0x3366cc);
    for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) img.data.set([240, 200, 40, 255], (y * 64 + x) * 4);
    writeFileSync(example, encodePng(img));
  }
}

/** folder_paths.exists_annotated_filepath for the loaders, plus the names the served dump lists. */
export function loaderFileExists(dirs: Omit<Dirs, 'models'>, info: ObjectInfo, cls: string, input: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  let name = value;
  let dir = dirs.input;
  for (const t of ['output', 'input', 'temp'] as const) {
    if (value.endsWith(`[${t}]`)) {
      name = value.slice(0, -(t.length + 3));
      dir = dirs[t];
    }
  }
  const full = resolve(dir, name);
  if (full.startsWith(dir + sep) && existsSync(full)) return true;
  const spec = (info[cls]?.['input'] as Record<string, Record<string, unknown[]>> | undefined)?.['required']?.[input];
  const options = Array.isArray(spec?.[0])
    ? (spec[0] as unknown[])
    : ((spec?.[1] as Record<string, unknown> | undefined)?.['options'] as unknown[] | undefined);
  return Array.isArray(options) && options.includes(value);
}

/** The file an `original_ref` of a mask upload names, or undefined when it escapes its folder or does not exist. */
export function resolveRef(dirs: Omit<Dirs, 'models'>, ref: Record<string, unknown>): string | undefined {
  let filename = String(ref['filename'] ?? '');
  let dir: string | undefined;
  for (const t of ['output', 'input', 'temp'] as const) {
    if (filename.endsWith(`[${t}]`)) {
      filename = filename.slice(0, -(t.length + 3));
      dir = dirs[t];
    }
  }
  if (!filename || filename[0] === '/' || filename.includes('..')) return undefined;
  if (dir === undefined) {
    const type = String(ref['type'] ?? 'output');
    if (type !== 'output' && type !== 'input' && type !== 'temp') return undefined;
    dir = dirs[type];
  }
  const sub = String(ref['subfolder'] ?? '');
  if (sub !== '') {
    const full = resolve(dir, sub);
    if (full !== dir && !full.startsWith(dir + sep)) return undefined;
    dir = full;
  }
  const file = join(dir, filename);
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}
