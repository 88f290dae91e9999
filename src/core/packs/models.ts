// Where a model file a workflow names belongs: the folder under models/ (from the workflow's own `models` records,
// else from the loader input it is chosen in), and the server's files it may have meant instead.
import type { ModelRef } from './types';
import { baseName } from '../util/display';

/** Loader inputs of ComfyUI's own nodes → their folder under models/ (folder_paths names). */
const INPUT_FOLDERS: Record<string, string> = {
  ckpt_name: 'checkpoints',
  unet_name: 'diffusion_models',
  vae_name: 'vae',
  lora_name: 'loras',
  clip_name: 'text_encoders',
  clip_name1: 'text_encoders',
  clip_name2: 'text_encoders',
  clip_name3: 'text_encoders',
  clip_name4: 'text_encoders',
  control_net_name: 'controlnet',
  style_model_name: 'style_models',
  gligen_name: 'gligen',
  hypernetwork_name: 'hypernetworks',
  upscale_model: 'upscale_models',
  model_name: 'upscale_models',
  audio_encoder_name: 'audio_encoders',
  photomaker_model_name: 'photomaker',
};

/** Classes whose input name alone would pick the wrong folder. */
const CLASS_INPUT_FOLDERS: Record<string, Record<string, string>> = {
  CLIPVisionLoader: { clip_name: 'clip_vision' },
  UpscaleModelLoader: { model_name: 'upscale_models' },
  ModelPatchLoader: { name: 'model_patches' },
};

const MODEL_EXTENSIONS = /\.(safetensors|ckpt|pt|pt2|pth|bin|sft|gguf|onnx|pkl)$/i;

/** True when a combo value looks like a model file name. */
export function looksLikeModelFile(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 512 && MODEL_EXTENSIONS.test(value);
}

/** The models/ folder of a loader input, when known. */
export function folderOfInput(classType: string | undefined, input: string): string | undefined {
  if (classType && CLASS_INPUT_FOLDERS[classType]?.[input]) return CLASS_INPUT_FOLDERS[classType]![input];
  return Object.prototype.hasOwnProperty.call(INPUT_FOLDERS, input) ? INPUT_FOLDERS[input] : undefined;
}

/**
 * The server's files that differ from `name` only by subfolder or letter case (the usual reason a downloaded
 * workflow "misses" a model the user has). Linear in the number of choices.
 */
export function modelLookalikes(name: string, choices: readonly unknown[], max = 3): string[] {
  const wanted = baseName(name).toLowerCase();
  const out: string[] = [];
  for (const c of choices) {
    if (typeof c !== 'string' || c === name) continue;
    if (baseName(c).toLowerCase() === wanted) {
      out.push(c);
      if (out.length >= max) break;
    }
  }
  return out;
}

/** What the workflow's own records say about a model name (exact name first, then the same file name). */
export function modelRecordFor(name: string, models: readonly ModelRef[]): ModelRef | undefined {
  const exact = models.find((m) => m.name === name);
  if (exact) return exact;
  const base = baseName(name);
  return models.find((m) => baseName(m.name) === base);
}
