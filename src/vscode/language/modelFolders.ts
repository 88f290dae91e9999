// Which models folder (as GET /view_metadata/{folder} names it) a loader's input refers to. By class and input
// first (CLIPVisionLoader's clip_name is a clip_vision model, CLIPLoader's a text encoder), then by input name.

const BY_CLASS: Record<string, Record<string, string>> = {
  CLIPVisionLoader: { clip_name: 'clip_vision' },
  CLIPLoader: { clip_name: 'text_encoders' },
  DualCLIPLoader: { clip_name1: 'text_encoders', clip_name2: 'text_encoders' },
  TripleCLIPLoader: { clip_name1: 'text_encoders', clip_name2: 'text_encoders', clip_name3: 'text_encoders' },
  UpscaleModelLoader: { model_name: 'upscale_models' },
  UNETLoader: { unet_name: 'diffusion_models' },
  HypernetworkLoader: { hypernetwork_name: 'hypernetworks' },
  StyleModelLoader: { style_model_name: 'style_models' },
  GLIGENLoader: { gligen_name: 'gligen' },
  PhotoMakerLoader: { photomaker_model_name: 'photomaker' },
};

const BY_INPUT: Record<string, string> = {
  ckpt_name: 'checkpoints',
  lora_name: 'loras',
  vae_name: 'vae',
  control_net_name: 'controlnet',
  unet_name: 'diffusion_models',
  clip_name: 'text_encoders',
  upscale_model_name: 'upscale_models',
  style_model_name: 'style_models',
  gligen_name: 'gligen',
  hypernetwork_name: 'hypernetworks',
};

export function modelFolderFor(classType: string | undefined, inputName: string): string | undefined {
  return (classType ? BY_CLASS[classType]?.[inputName] : undefined) ?? BY_INPUT[inputName];
}
