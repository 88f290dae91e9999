// Shared bits of the client/socket/run integration suites: small core-node prompts that need no models (so they
// run unchanged on a real ComfyUI), PNG helpers, and waiting for a prompt's WebSocket events.
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import type { ComfySocket } from '../../src/core/comfy/socket';
import type { ComfyMessage } from '../../src/core/comfy/messages';
import { promptIdOf } from '../../src/core/comfy/messages';
import type { ApiPrompt } from '../../src/core/comfy/types';

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, after checking the signature and that IHDR comes first. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE, 'PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(new TextDecoder().decode(bytes.subarray(12, 16)), 'IHDR', 'first chunk is IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A small RGBA PNG with a per-test pattern (distinct bytes, so the server does not dedupe it with another test's). */
export function makePng(width: number, height: number, seed: number): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[i * 4] = (i * 7 + seed) & 255;
    png.data[i * 4 + 1] = (i * 13 + seed * 3) & 255;
    png.data[i * 4 + 2] = (seed * 31) & 255;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

export function decodePng(bytes: Uint8Array): PNG {
  return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** EmptyImage → ImageInvert → SaveImage: core nodes only, no models. */
export function invertPrompt(width: number, height: number, color: number, prefix: string): ApiPrompt {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width, height, batch_size: 1, color } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

export interface RunCollector {
  /** Call with the prompt_id from POST /prompt; messages that arrived before it are matched then. */
  setPromptId(id: string): void;
  /** Resolves with the prompt's messages (plus status broadcasts) once `executing` with `node: null` arrives. */
  done: Promise<ComfyMessage[]>;
}

/**
 * A prompt that takes a while on any server: a 512² image through a chain of blurs (a second or more on a CPU; on the
 * mock each node takes its `nodeDelayMs`), so a prompt queued behind it stays pending long enough to act on.
 */
export function blockerPrompt(blurs: number): ApiPrompt {
  const prompt: ApiPrompt = { '1': { class_type: 'EmptyImage', inputs: { width: 512, height: 512, batch_size: 1, color: Date.now() % 0xffffff } } };
  for (let i = 0; i < blurs; i++) prompt[String(i + 2)] = { class_type: 'ImageBlur', inputs: { image: [String(i + 1), 0], blur_radius: 31, sigma: 1 } };
  prompt[String(blurs + 2)] = { class_type: 'PreviewImage', inputs: { images: [String(blurs + 1), 0] } };
  return prompt;
}

/**
 * Collects the messages of one prompt until `executing` with `node: null` (the server's "finished" signal, sent
 * after history is written). Subscribe before POST /prompt: a fast server can finish before the POST answers.
 * Rejects after `timeoutMs` with what was seen, so a hang shows up as a clear failure.
 */
export function collectRun(socket: ComfySocket, timeoutMs = 60_000): RunCollector {
  let id: string | undefined;
  const early: ComfyMessage[] = [];
  const seen: ComfyMessage[] = [];
  let finish!: (msgs: ComfyMessage[]) => void;
  let fail!: (e: Error) => void;
  const done = new Promise<ComfyMessage[]>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  let finished = false;
  const timer = setTimeout(() => {
    sub.dispose();
    fail(new Error(`no executing/null within ${timeoutMs} ms; saw ${seen.map((m) => m.type).join(', ') || 'nothing'}`));
  }, timeoutMs);
  const accept = (m: ComfyMessage): void => {
    if (finished) return;
    const own = promptIdOf(m);
    if (own !== undefined && own !== id) return;
    seen.push(m);
    if (m.type === 'executing' && m.data.node === null && m.data.prompt_id === id) {
      finished = true;
      clearTimeout(timer);
      sub.dispose();
      finish(seen);
    }
  };
  const sub = socket.on('message', (m) => (id === undefined ? early.push(m) : accept(m)));
  return {
    setPromptId(promptId) {
      id = promptId;
      for (const m of early.splice(0)) accept(m);
    },
    done,
  };
}

/** The next socket message that satisfies `pred` (subscribe before the request that causes it). */
export function nextMessage(socket: ComfySocket, pred: (m: ComfyMessage) => boolean): Promise<ComfyMessage> {
  return new Promise((resolve) => {
    const sub = socket.on('message', (m) => {
      if (!pred(m)) return;
      sub.dispose();
      resolve(m);
    });
  });
}
