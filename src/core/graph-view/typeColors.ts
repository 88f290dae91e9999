// Link and slot colours by socket type: the ComfyUI frontend's default (dark) palette `node_slot` colours, so a
// graph here reads like the same graph in the web UI. Unknown types get a neutral grey.
const TYPE_COLORS: Readonly<Record<string, string>> = {
  CLIP: '#FFD500',
  CLIP_VISION: '#A8DADC',
  CLIP_VISION_OUTPUT: '#ad7452',
  CONDITIONING: '#FFA931',
  CONTROL_NET: '#6EE7B7',
  IMAGE: '#64B5F6',
  LATENT: '#FF9CF9',
  MASK: '#81C784',
  MODEL: '#B39DDB',
  STYLE_MODEL: '#C2FFAE',
  VAE: '#FF6E6E',
  NOISE: '#B0B0B0',
  GUIDER: '#66FFFF',
  SAMPLER: '#ECB4B4',
  SIGMAS: '#CDFFCD',
  TAESD: '#DCC274',
  INT: '#29699c',
  FLOAT: '#29699c',
  STRING: '#29699c',
  BOOLEAN: '#29699c',
  COMBO: '#29699c',
  AUDIO: '#9EE0FF',
  VIDEO: '#8FD3A8',
};

export const UNKNOWN_TYPE_COLOR = '#9A9A9A';

/** Colour of a socket type; a union (`A,B`) takes its first member's colour. */
export function typeColor(type: string): string {
  const first = type.includes(',') ? type.slice(0, type.indexOf(',')) : type;
  return Object.prototype.hasOwnProperty.call(TYPE_COLORS, first) ? TYPE_COLORS[first]! : UNKNOWN_TYPE_COLOR;
}
