// The mock's default node definitions, hand-written in ComfyUI 0.3.64's /object_info format: V1 nodes
// (`input_order`, old-style list combos, hidden inputs as strings) and one V3 node (ImageBlur: every field present,
// `display_name: null`). Like the real server, file lists (LoadImage, model loaders) are read at request time.

export interface DynamicLists {
  /** Image files of the input directory (what LoadImage lists). */
  inputFiles: string[];
  /** Model files per folder name ("checkpoints", "loras", "vae"). */
  models: Record<string, string[]>;
}

type Spec = [unknown] | [unknown, Record<string, unknown>];

interface V1Options {
  required?: Record<string, Spec>;
  optional?: Record<string, Spec>;
  hidden?: Record<string, string>;
  output?: string[];
  outputName?: string[];
  display: string;
  category: string;
  description?: string;
  outputNode?: boolean;
  outputTooltips?: string[];
  module?: string;
}

function v1(name: string, o: V1Options): Record<string, unknown> {
  const input: Record<string, unknown> = { required: o.required ?? {} };
  const order: Record<string, string[]> = { required: Object.keys(o.required ?? {}) };
  if (o.optional) {
    input['optional'] = o.optional;
    order['optional'] = Object.keys(o.optional);
  }
  if (o.hidden) {
    input['hidden'] = o.hidden;
    order['hidden'] = Object.keys(o.hidden);
  }
  const output = o.output ?? [];
  const info: Record<string, unknown> = {
    input,
    input_order: order,
    output,
    output_is_list: output.map(() => false),
    output_name: o.outputName ?? output,
    name,
    display_name: o.display,
    description: o.description ?? '',
    python_module: o.module ?? 'nodes',
    category: o.category,
    output_node: o.outputNode ?? false,
  };
  if (o.outputTooltips) info['output_tooltips'] = o.outputTooltips;
  return info;
}

export const SAMPLERS = [
  'euler',
  'euler_cfg_pp',
  'euler_ancestral',
  'euler_ancestral_cfg_pp',
  'heun',
  'heunpp2',
  'dpm_2',
  'dpm_2_ancestral',
  'lms',
  'dpm_fast',
  'dpm_adaptive',
  'dpmpp_2s_ancestral',
  'dpmpp_sde',
  'dpmpp_2m',
  'dpmpp_2m_sde',
  'dpmpp_3m_sde',
  'ddpm',
  'lcm',
  'ipndm',
  'deis',
  'res_multistep',
  'ddim',
  'uni_pc',
  'uni_pc_bh2',
];
export const SCHEDULERS = ['simple', 'sgm_uniform', 'karras', 'exponential', 'ddim_uniform', 'beta', 'normal', 'linear_quadratic', 'kl_optimal'];

const HIDDEN_PNG = { prompt: 'PROMPT', extra_pnginfo: 'EXTRA_PNGINFO' };

export function defaultObjectInfo(lists: DynamicLists): Record<string, Record<string, unknown>> {
  const models = (folder: string) => [...(lists.models[folder] ?? [])].sort();
  const defs: Record<string, Record<string, unknown>> = {
    CheckpointLoaderSimple: v1('CheckpointLoaderSimple', {
      required: { ckpt_name: [models('checkpoints'), { tooltip: 'The name of the checkpoint (model) to load.' }] },
      output: ['MODEL', 'CLIP', 'VAE'],
      display: 'Load Checkpoint',
      category: 'loaders',
      description: 'Loads a diffusion model checkpoint, diffusion models are used to denoise latents.',
      outputTooltips: [
        'The model used for denoising latents.',
        'The CLIP model used for encoding text prompts.',
        'The VAE model used for encoding and decoding images to and from latent space.',
      ],
    }),
    LoraLoader: v1('LoraLoader', {
      required: {
        model: ['MODEL', { tooltip: 'The diffusion model the LoRA will be applied to.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model the LoRA will be applied to.' }],
        lora_name: [models('loras'), { tooltip: 'The name of the LoRA.' }],
        strength_model: ['FLOAT', { default: 1.0, min: -100.0, max: 100.0, step: 0.01 }],
        strength_clip: ['FLOAT', { default: 1.0, min: -100.0, max: 100.0, step: 0.01 }],
      },
      output: ['MODEL', 'CLIP'],
      display: 'Load LoRA',
      category: 'loaders',
    }),
    VAELoader: v1('VAELoader', {
      required: { vae_name: [models('vae')] },
      output: ['VAE'],
      display: 'Load VAE',
      category: 'loaders',
    }),
    CLIPTextEncode: v1('CLIPTextEncode', {
      required: {
        text: ['STRING', { multiline: true, dynamicPrompts: true, tooltip: 'The text to be encoded.' }],
        clip: ['CLIP', { tooltip: 'The CLIP model used for encoding the text.' }],
      },
      output: ['CONDITIONING'],
      display: 'CLIP Text Encode (Prompt)',
      category: 'conditioning',
      outputTooltips: ['A conditioning containing the embedded text used to guide the diffusion model.'],
    }),
    EmptyLatentImage: v1('EmptyLatentImage', {
      required: {
        width: ['INT', { default: 512, min: 16, max: 16384, step: 8, tooltip: 'The width of the latent images in pixels.' }],
        height: ['INT', { default: 512, min: 16, max: 16384, step: 8, tooltip: 'The height of the latent images in pixels.' }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096, tooltip: 'The number of latent images in the batch.' }],
      },
      output: ['LATENT'],
      display: 'Empty Latent Image',
      category: 'latent',
      outputTooltips: ['The empty latent image batch.'],
    }),
    KSampler: v1('KSampler', {
      required: {
        model: ['MODEL', { tooltip: 'The model used for denoising the input latent.' }],
        seed: ['INT', { default: 0, min: 0, max: 0xffffffffffffffff, control_after_generate: true, tooltip: 'The random seed used for creating the noise.' }],
        steps: ['INT', { default: 20, min: 1, max: 10000, tooltip: 'The number of steps used in the denoising process.' }],
        cfg: ['FLOAT', { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01, tooltip: 'The Classifier-Free Guidance scale.' }],
        sampler_name: [SAMPLERS, { tooltip: 'The algorithm used when sampling.' }],
        scheduler: [SCHEDULERS, { tooltip: 'The scheduler controls how noise is gradually removed to form the image.' }],
        positive: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes you want to include in the image.' }],
        negative: ['CONDITIONING', { tooltip: 'The conditioning describing the attributes you want to exclude from the image.' }],
        latent_image: ['LATENT', { tooltip: 'The latent image to denoise.' }],
        denoise: ['FLOAT', { default: 1.0, min: 0.0, max: 1.0, step: 0.01, tooltip: 'The amount of denoising applied.' }],
      },
      output: ['LATENT'],
      display: 'KSampler',
      category: 'sampling',
      description: 'Uses the provided model, positive and negative conditioning to denoise the latent image.',
      outputTooltips: ['The denoised latent.'],
    }),
    VAEDecode: v1('VAEDecode', {
      required: {
        samples: ['LATENT', { tooltip: 'The latent to be decoded.' }],
        vae: ['VAE', { tooltip: 'The VAE model used for decoding the latent.' }],
      },
      output: ['IMAGE'],
      display: 'VAE Decode',
      category: 'latent',
      description: 'Decodes latent images back into pixel space images.',
      outputTooltips: ['The decoded image.'],
    }),
    VAEEncode: v1('VAEEncode', {
      required: { pixels: ['IMAGE'], vae: ['VAE'] },
      output: ['LATENT'],
      display: 'VAE Encode',
      category: 'latent',
    }),
    EmptyImage: v1('EmptyImage', {
      required: {
        width: ['INT', { default: 512, min: 1, max: 16384, step: 1 }],
        height: ['INT', { default: 512, min: 1, max: 16384, step: 1 }],
        batch_size: ['INT', { default: 1, min: 1, max: 4096 }],
        color: ['INT', { default: 0, min: 0, max: 0xffffff, step: 1, display: 'color' }],
      },
      output: ['IMAGE'],
      display: 'EmptyImage',
      category: 'image',
    }),
    ImageInvert: v1('ImageInvert', {
      required: { image: ['IMAGE'] },
      output: ['IMAGE'],
      display: 'Invert Image',
      category: 'image',
    }),
    ImageScale: v1('ImageScale', {
      required: {
        image: ['IMAGE'],
        upscale_method: [['nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos']],
        width: ['INT', { default: 512, min: 0, max: 16384, step: 1 }],
        height: ['INT', { default: 512, min: 0, max: 16384, step: 1 }],
        crop: [['disabled', 'center']],
      },
      output: ['IMAGE'],
      display: 'Upscale Image',
      category: 'image/upscaling',
    }),
    ImageBlend: v1('ImageBlend', {
      required: {
        image1: ['IMAGE'],
        image2: ['IMAGE'],
        blend_factor: ['FLOAT', { default: 0.5, min: 0.0, max: 1.0, step: 0.01 }],
        blend_mode: [['normal', 'multiply', 'screen', 'overlay', 'soft_light', 'difference']],
      },
      output: ['IMAGE'],
      display: 'Image Blend',
      category: 'image/postprocessing',
      module: 'comfy_extras.nodes_post_processing',
    }),
    // A V3 node, as 0.3.64 serializes them: every field present, nulls included.
    ImageBlur: {
      input: {
        required: {
          image: ['IMAGE', {}],
          blur_radius: ['INT', { default: 1, min: 1, max: 31, step: 1 }],
          sigma: ['FLOAT', { default: 1.0, min: 0.1, max: 10.0, step: 0.1 }],
        },
      },
      input_order: { required: ['image', 'blur_radius', 'sigma'] },
      output: ['IMAGE'],
      output_is_list: [false],
      output_name: ['IMAGE'],
      output_tooltips: [null],
      name: 'ImageBlur',
      display_name: null,
      description: '',
      python_module: 'comfy_extras.nodes_post_processing',
      category: 'image/postprocessing',
      output_node: false,
      deprecated: false,
      experimental: false,
      api_node: false,
    },
    LoadImage: v1('LoadImage', {
      required: { image: [[...lists.inputFiles].sort(), { image_upload: true }] },
      output: ['IMAGE', 'MASK'],
      display: 'Load Image',
      category: 'image',
    }),
    SaveImage: v1('SaveImage', {
      required: {
        images: ['IMAGE', { tooltip: 'The images to save.' }],
        filename_prefix: ['STRING', { default: 'ComfyUI', tooltip: 'The prefix for the file to save.' }],
      },
      hidden: HIDDEN_PNG,
      display: 'Save Image',
      category: 'image',
      description: 'Saves the input images to your ComfyUI output directory.',
      outputNode: true,
    }),
    PreviewImage: v1('PreviewImage', {
      required: { images: ['IMAGE'] },
      hidden: HIDDEN_PNG,
      display: 'Preview Image',
      category: 'image',
      description: 'Saves the input images to your ComfyUI output directory.',
      outputNode: true,
    }),
  };
  return defs;
}
