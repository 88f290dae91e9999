// Image type and pixel size from the first bytes of a file (PNG, JPEG, WebP, GIF), without decoding: the gallery
// shows sizes and the cache refuses to hand a "PNG" that is really HTML to the webview.
import { isWebp } from './riff';

export interface ImageInfo {
  mimeType: string;
  width?: number;
  height?: number;
}

export function imageInfo(b: Uint8Array): ImageInfo | undefined {
  const mimeType = sniffImageType(b) ?? (isGif(b) ? 'image/gif' : undefined);
  if (!mimeType) return undefined;
  const size = mimeType === 'image/png' ? pngSize(b) : mimeType === 'image/jpeg' ? jpegSize(b) : mimeType === 'image/webp' ? webpSize(b) : gifSize(b);
  return size ? { mimeType, ...size } : { mimeType };
}

/** Recognizes the image formats a preview may carry from their magic bytes. */
export function sniffImageType(b: Uint8Array): string | undefined {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50)
    return 'image/webp';
  return undefined;
}

type Size = { width: number; height: number } | undefined;

function pngSize(b: Uint8Array): Size {
  if (b.length < 24) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

function jpegSize(b: Uint8Array): Size {
  let off = 2;
  while (off + 9 < b.length) {
    if (b[off] !== 0xff) return undefined;
    const marker = b[off + 1]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      off += 2;
      continue;
    }
    const len = (b[off + 2]! << 8) | b[off + 3]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (b[off + 5]! << 8) | b[off + 6]!, width: (b[off + 7]! << 8) | b[off + 8]! };
    }
    off += 2 + len;
  }
  return undefined;
}

function webpSize(b: Uint8Array): Size {
  if (!isWebp(b) || b.length < 30) return undefined;
  const fourcc = String.fromCharCode(...b.subarray(12, 16));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (fourcc === 'VP8X') return { width: 1 + (b[24]! | (b[25]! << 8) | (b[26]! << 16)), height: 1 + (b[27]! | (b[28]! << 8) | (b[29]! << 16)) };
  if (fourcc === 'VP8L') {
    const bits = v.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (fourcc === 'VP8 ') return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  return undefined;
}

function isGif(b: Uint8Array): boolean {
  return b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38;
}

function gifSize(b: Uint8Array): Size {
  return { width: b[6]! | (b[7]! << 8), height: b[8]! | (b[9]! << 8) };
}
