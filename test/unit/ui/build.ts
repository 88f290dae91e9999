// Small builders for UI workflows in tests (LiteGraph save format, version 0.4 unless a test says otherwise).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { REPO_ROOT } from '../../helpers/shared';

export const OBJECT_INFO = JSON.parse(readFileSync(join(REPO_ROOT, 'test/fixtures/ui/object_info.json'), 'utf8')) as ObjectInfo;

/** `[name, type, link?, widgetName?]` */
export type In = [string, string, (number | null)?, string?];
/** `[name, type, links?]` */
export type Out = [string, string, number[]?];

export interface NodeOpts {
  inputs?: In[];
  outputs?: Out[];
  wv?: unknown;
  mode?: number;
  title?: string;
  properties?: Record<string, unknown>;
}

export function node(id: number | string, type: string, o: NodeOpts = {}): Record<string, unknown> {
  return {
    id,
    type,
    pos: [0, 0],
    size: [100, 100],
    flags: {},
    order: 0,
    mode: o.mode ?? 0,
    inputs: (o.inputs ?? []).map(([name, t, link, widget]) => ({ name, type: t, link: link ?? null, ...(widget ? { widget: { name: widget } } : {}) })),
    outputs: (o.outputs ?? []).map(([name, t, links]) => ({ name, type: t, links: links ?? [] })),
    properties: o.properties ?? {},
    ...(o.wv !== undefined ? { widgets_values: o.wv } : {}),
    ...(o.title !== undefined ? { title: o.title } : {}),
  };
}

/** `[id, originId, originSlot, targetId, targetSlot, type]` */
export type Link = [number, number | string, number, number | string, number, string];

export function workflow(nodes: Record<string, unknown>[], links: Link[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { last_node_id: 0, last_link_id: 0, nodes, links, groups: [], config: {}, extra: {}, version: 0.4, ...extra };
}

/** A checkpoint → two prompts → sampler → decode → save graph, with ids 1..7 and links 1..9. */
export function txt2img(overrides: { sampler?: NodeOpts } = {}): Record<string, unknown> {
  return workflow(
    [
      node(1, 'CheckpointLoaderSimple', {
        outputs: [
          ['MODEL', 'MODEL', [1]],
          ['CLIP', 'CLIP', [2, 3]],
          ['VAE', 'VAE', [8]],
        ],
        wv: ['a.safetensors'],
      }),
      node(2, 'CLIPTextEncode', { inputs: [['clip', 'CLIP', 2]], outputs: [['CONDITIONING', 'CONDITIONING', [4]]], wv: ['a cat'], title: 'Positive' }),
      node(3, 'CLIPTextEncode', { inputs: [['clip', 'CLIP', 3]], outputs: [['CONDITIONING', 'CONDITIONING', [5]]], wv: ['blurry'] }),
      node(4, 'EmptyLatentImage', { outputs: [['LATENT', 'LATENT', [6]]], wv: [640, 480, 1] }),
      node(5, 'KSampler', {
        inputs: [
          ['model', 'MODEL', 1],
          ['positive', 'CONDITIONING', 4],
          ['negative', 'CONDITIONING', 5],
          ['latent_image', 'LATENT', 6],
        ],
        outputs: [['LATENT', 'LATENT', [7]]],
        wv: [42, 'randomize', 20, 7.5, 'euler', 'normal', 1],
        ...overrides.sampler,
      }),
      node(6, 'VAEDecode', {
        inputs: [
          ['samples', 'LATENT', 7],
          ['vae', 'VAE', 8],
        ],
        outputs: [['IMAGE', 'IMAGE', [9]]],
      }),
      node(7, 'SaveImage', { inputs: [['images', 'IMAGE', 9]], wv: ['out'] }),
    ],
    [
      [1, 1, 0, 5, 0, 'MODEL'],
      [2, 1, 1, 2, 0, 'CLIP'],
      [3, 1, 1, 3, 0, 'CLIP'],
      [4, 2, 0, 5, 1, 'CONDITIONING'],
      [5, 3, 0, 5, 2, 'CONDITIONING'],
      [6, 4, 0, 5, 3, 'LATENT'],
      [7, 5, 0, 6, 0, 'LATENT'],
      [8, 1, 2, 6, 1, 'VAE'],
      [9, 6, 0, 7, 0, 'IMAGE'],
    ],
  );
}
