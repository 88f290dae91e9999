// WebP is a RIFF container: "RIFF" <u32 LE size> "WEBP", then chunks <fourcc><u32 LE size><data>[pad to even].
// ComfyUI's metadata is in the "EXIF" chunk (written by Pillow through libwebp's mux).

export interface RiffChunk {
  fourcc: string;
  data: Uint8Array;
}

export function isWebp(b: Uint8Array): boolean {
  return b.length >= 12 && ascii(b.subarray(0, 4)) === 'RIFF' && ascii(b.subarray(8, 12)) === 'WEBP';
}

/** The chunks of a WebP file; stops at the first chunk that runs past the data. */
export function webpChunks(b: Uint8Array): { chunks: RiffChunk[]; problems: string[] } {
  const chunks: RiffChunk[] = [];
  const problems: string[] = [];
  if (!isWebp(b)) return { chunks, problems: ['The file is not a WebP image.'] };
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = 12;
  while (off + 8 <= b.length) {
    const fourcc = ascii(b.subarray(off, off + 4));
    const size = view.getUint32(off + 4, true);
    if (off + 8 + size > b.length) {
      problems.push(`The ${/^[\x20-\x7e]{4}$/.test(fourcc) ? fourcc : 'unknown'} chunk at byte ${off} runs past the end of the file.`);
      break;
    }
    chunks.push({ fourcc, data: b.subarray(off + 8, off + 8 + size) });
    off += 8 + size + (size % 2);
  }
  return { chunks, problems };
}

/** Builds a WebP container from chunks (tests, fixtures). @internal */
export function buildWebp(chunks: RiffChunk[]): Uint8Array {
  const body = chunks.reduce((s, c) => s + 8 + c.data.length + (c.data.length % 2), 4);
  const out = new Uint8Array(8 + body);
  const view = new DataView(out.buffer);
  out.set([0x52, 0x49, 0x46, 0x46]);
  view.setUint32(4, body, true);
  out.set([0x57, 0x45, 0x42, 0x50], 8);
  let off = 12;
  for (const c of chunks) {
    for (let i = 0; i < 4; i++) out[off + i] = c.fourcc.charCodeAt(i);
    view.setUint32(off + 4, c.data.length, true);
    out.set(c.data, off + 8);
    off += 8 + c.data.length + (c.data.length % 2);
  }
  return out;
}

function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}
