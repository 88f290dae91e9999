// Minimal .safetensors files: an 8-byte little-endian header length, a JSON header (tensor table plus an optional
// "__metadata__" string map), then the tensor bytes. /view_metadata reads only the header, like ComfyUI does.
import { openSync, readSync, closeSync } from 'node:fs';

/** A valid file holding one tiny float32 tensor, with the given metadata. */
export function makeSafetensors(metadata: Record<string, string> | undefined, tensorName = 'weight'): Buffer {
  const data = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) data.writeFloatLE(i * 0.25, i * 4);
  const header: Record<string, unknown> = { [tensorName]: { dtype: 'F32', shape: [2, 2], data_offsets: [0, data.length] } };
  if (metadata) header['__metadata__'] = metadata;
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  // The format recommends padding the header with spaces to a multiple of 8.
  const pad = (8 - (json.length % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

/** The "__metadata__" of a safetensors file, or undefined when it has none or is not one. */
export function readSafetensorsMetadata(path: string): Record<string, unknown> | undefined {
  const fd = openSync(path, 'r');
  try {
    const lenBuf = Buffer.alloc(8);
    if (readSync(fd, lenBuf, 0, 8, 0) < 8) return undefined;
    const len = Number(lenBuf.readBigUInt64LE());
    if (len <= 0 || len > 100 * 1024 * 1024) return undefined;
    const header = Buffer.alloc(len);
    readSync(fd, header, 0, len, 8);
    const parsed = JSON.parse(header.toString('utf8')) as Record<string, unknown>;
    const meta = parsed['__metadata__'];
    return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
