// The ASCII fields of a TIFF/EXIF block's first IFD, which is where ComfyUI puts its metadata in WebP files
// (nodes.py SaveAnimatedWEBP: tag 0x0110 "Model" = "prompt:<json>", 0x010F "Make" = "workflow:<json>", and further
// extra_pnginfo keys on 0x010E, 0x010D … counting down). Pillow may or may not keep the "Exif\0\0" prefix.

export interface ExifResult {
  /** Tag number → value, for ASCII (2) and UNDEFINED/BYTE (7/1) entries decoded as UTF-8. */
  fields: Map<number, string>;
  problems: string[];
}

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

export function readExifIfd0(input: Uint8Array): ExifResult {
  const fields = new Map<number, string>();
  const problems: string[] = [];
  let b = input;
  if (b.length >= 6 && b[0] === 0x45 && b[1] === 0x78 && b[2] === 0x69 && b[3] === 0x66 && b[4] === 0 && b[5] === 0) b = b.subarray(6);
  if (b.length < 8) return { fields, problems: ['The EXIF block is too short.'] };
  const little = b[0] === 0x49 && b[1] === 0x49;
  const big = b[0] === 0x4d && b[1] === 0x4d;
  if (!little && !big) return { fields, problems: ['The EXIF block has no TIFF byte-order mark.'] };
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number) => view.getUint16(o, little);
  const u32 = (o: number) => view.getUint32(o, little);
  if (u16(2) !== 42) return { fields, problems: ['The EXIF block is not TIFF data.'] };
  const ifd = u32(4);
  if (ifd + 2 > b.length) return { fields, problems: ['The EXIF directory offset points past the block.'] };
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > b.length) {
      problems.push('The EXIF directory is truncated.');
      break;
    }
    const tag = u16(entry);
    const type = u16(entry + 2);
    const n = u32(entry + 4);
    if (type !== 2 && type !== 7 && type !== 1) continue;
    const size = (TYPE_SIZES[type] ?? 1) * n;
    const at = size <= 4 ? entry + 8 : u32(entry + 8);
    if (at + size > b.length) {
      problems.push(`EXIF tag 0x${tag.toString(16)} points past the block.`);
      continue;
    }
    let value = b.subarray(at, at + size);
    if (type === 2 && value.length > 0 && value[value.length - 1] === 0) value = value.subarray(0, value.length - 1);
    fields.set(tag, new TextDecoder('utf-8').decode(value));
  }
  return { fields, problems };
}

/**
 * ComfyUI's "key:json" EXIF values → `{key: json text}`. Only values of the form `<word>:<text>` count; the camera
 * fields of a photo ("Canon") are not mistaken for metadata.
 */
export function comfyExifEntries(fields: Map<number, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of fields.values()) {
    const m = /^([A-Za-z_][\w-]*):([\s\S]*)$/.exec(value);
    if (m && !(m[1]! in out)) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Builds a little-endian TIFF block with ASCII IFD0 entries (tests, fixtures). @internal */
export function buildExif(entries: [tag: number, value: string][], withPrefix = false): Uint8Array {
  const enc = new TextEncoder();
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const values = sorted.map(([, v]) => {
    const bytes = enc.encode(v);
    const z = new Uint8Array(bytes.length + 1);
    z.set(bytes);
    return z;
  });
  const dirSize = 2 + sorted.length * 12 + 4;
  let dataAt = 8 + dirSize;
  const total = dataAt + values.reduce((s, v) => s + (v.length > 4 ? v.length : 0), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49]);
  view.setUint16(2, 42, true);
  view.setUint32(4, 8, true);
  view.setUint16(8, sorted.length, true);
  sorted.forEach(([tag], i) => {
    const e = 10 + i * 12;
    const v = values[i]!;
    view.setUint16(e, tag, true);
    view.setUint16(e + 2, 2, true);
    view.setUint32(e + 4, v.length, true);
    if (v.length <= 4) out.set(v, e + 8);
    else {
      view.setUint32(e + 8, dataAt, true);
      out.set(v, dataAt);
      dataAt += v.length;
    }
  });
  if (!withPrefix) return out;
  const pre = new Uint8Array(6 + out.length);
  pre.set([0x45, 0x78, 0x69, 0x66, 0, 0]);
  pre.set(out, 6);
  return pre;
}
