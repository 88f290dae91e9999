// Real pixels for the mock's nodes and /view: RGBA buffers, PNG through pngjs (with tEXt chunks like ComfyUI's
// SaveImage writes), and two tiny encoders for /view?preview=: a DC-only baseline JPEG (each 8×8 block is its mean
// colour: blocky but valid) and an uncompressed-literal lossless WebP (VP8L with fixed 8-bit prefix codes).
import { PNG } from 'pngjs';
import { crc32 } from 'node:zlib';

export interface Image {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  data: Uint8Array;
}

export function solidImage(width: number, height: number, rgb: number, alpha = 255): Image {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (rgb >> 16) & 0xff;
    data[i * 4 + 1] = (rgb >> 8) & 0xff;
    data[i * 4 + 2] = rgb & 0xff;
    data[i * 4 + 3] = alpha;
  }
  return { width, height, data };
}

export function invertImage(img: Image): Image {
  const data = new Uint8Array(img.data);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 255 - data[i]!;
    data[i + 1] = 255 - data[i + 1]!;
    data[i + 2] = 255 - data[i + 2]!;
  }
  return { ...img, data };
}

/** Separable box blur of the colour channels (a stand-in for ImageBlur's gaussian: same size, same kind of effect). */
export function blurImage(img: Image, radius: number): Image {
  const { width: w, height: h } = img;
  const r = Math.max(0, Math.floor(radius));
  if (r === 0) return { ...img, data: new Uint8Array(img.data) };
  const pass = (src: Uint8Array, horizontal: boolean): Uint8Array => {
    const out = new Uint8Array(src);
    const lines = horizontal ? h : w;
    const len = horizontal ? w : h;
    for (let line = 0; line < lines; line++) {
      const at = (i: number) => (horizontal ? (line * w + i) * 4 : (i * w + line) * 4);
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let i = -r; i <= r; i++) sum += src[at(Math.min(len - 1, Math.max(0, i)))! + c]!;
        for (let i = 0; i < len; i++) {
          out[at(i) + c] = Math.round(sum / (2 * r + 1));
          sum += src[at(Math.min(len - 1, i + r + 1)) + c]! - src[at(Math.max(0, i - r)) + c]!;
        }
      }
    }
    return out;
  };
  return { ...img, data: pass(pass(img.data, true), false) };
}

/** Nearest-neighbour resize keeping the aspect ratio, so the longest side is at most `max`. */
export function fitImage(img: Image, max: number): Image {
  const scale = Math.min(1, max / Math.max(img.width, img.height));
  if (scale === 1) return img;
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  if (img.data.length === 0) return { width, height, data: img.data }; // only the size was asked for
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = Math.min(img.width - 1, Math.floor(x / scale));
      const sy = Math.min(img.height - 1, Math.floor(y / scale));
      data.set(img.data.subarray((sy * img.width + sx) * 4, (sy * img.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

export function decodePng(buf: Buffer): Image {
  const png = PNG.sync.read(buf);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

/** PNG of the image; `colorType` 2 drops alpha (channel=rgb). `text` becomes tEXt chunks (prompt, workflow). */
export function encodePng(img: Image, options: { text?: Record<string, string>; rgb?: boolean } = {}): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data);
  // pngjs blends with a background when dropping alpha; PIL's merge of R, G, B just drops it.
  if (options.rgb) for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  // compress_level=4 is what ComfyUI's SaveImage passes to PIL.
  const buf = PNG.sync.write(png, options.rgb ? { colorType: 2, inputHasAlpha: true, deflateLevel: 4 } : { colorType: 6, deflateLevel: 4 });
  const text = Object.entries(options.text ?? {});
  if (text.length === 0) return buf;
  // IHDR is always 8 (signature) + 25 bytes; text chunks go right after it, as PIL writes them.
  const chunks = text.map(([k, v]) => pngChunk('tEXt', Buffer.concat([Buffer.from(k, 'latin1'), Buffer.from([0]), Buffer.from(v, 'latin1')])));
  return Buffer.concat([buf.subarray(0, 33), ...chunks, buf.subarray(33)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** The tEXt chunks of a PNG (what PIL exposes as `img.text`). */
export function readPngText(buf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 8;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    if (type === 'tEXt') {
      const data = buf.subarray(off + 8, off + 8 + len);
      const nul = data.indexOf(0);
      if (nul > 0) out[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    }
    if (type === 'IEND') break;
    off += 12 + len;
  }
  return out;
}

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  /** LSB-first, as VP8L reads. */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
  finish(): Buffer {
    if (this.n > 0) this.flushByte();
    return Buffer.from(this.bytes);
  }
}

/** Lossless WebP: no transforms, every channel a literal with a complete 8-bit prefix code. */
export function encodeWebp(img: Image): Buffer {
  const w = new BitWriter();
  w.bits(0x2f, 8);
  w.bits(img.width - 1, 14);
  w.bits(img.height - 1, 14);
  let alpha = false;
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) alpha = true;
  w.bits(alpha ? 1 : 0, 1);
  w.bits(0, 3); // version
  w.bits(0, 1); // no transform
  w.bits(0, 1); // no colour cache
  w.bits(0, 1); // no meta prefix codes
  const literalCode = (alphabet: number) => {
    w.bits(0, 1); // normal (not simple) code
    // Code-length code: symbols 0 and 8, one bit each. In kCodeLengthCodeOrder, 8 is the 12th entry.
    w.bits(12 - 4, 4);
    const order = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8];
    for (const sym of order) w.bits(sym === 0 || sym === 8 ? 1 : 0, 3);
    w.bits(0, 1); // max_symbol = alphabet size
    for (let s = 0; s < alphabet; s++) w.bits(s < 256 ? 1 : 0, 1); // '1' = length 8, '0' = length 0
  };
  literalCode(256 + 24); // green + backward-reference lengths
  literalCode(256); // red
  literalCode(256); // blue
  literalCode(256); // alpha
  w.bits(1, 1); // distance: simple code with the single symbol 0
  w.bits(0, 1);
  w.bits(0, 1);
  w.bits(0, 1);
  const sym = (v: number) => {
    // Canonical codes of a complete 8-bit code are the symbols themselves, read most significant bit first.
    for (let b = 7; b >= 0; b--) w.bits((v >> b) & 1, 1);
  };
  for (let i = 0; i < img.data.length; i += 4) {
    sym(img.data[i + 1]!);
    sym(img.data[i]!);
    sym(img.data[i + 2]!);
    sym(img.data[i + 3]!);
  }
  const vp8l = w.finish();
  const pad = vp8l.length % 2;
  const header = Buffer.alloc(20);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + 8 + vp8l.length + pad, 4);
  header.write('WEBP', 8, 'latin1');
  header.write('VP8L', 12, 'latin1');
  header.writeUInt32LE(vp8l.length, 16);
  return Buffer.concat([header, vp8l, Buffer.alloc(pad)]);
}

/** Baseline JPEG, 4:4:4 YCbCr, quantizer 1, DC coefficients only. */
export function encodeJpeg(img: Image): Buffer {
  const out: number[] = [];
  const marker = (code: number, payload: number[]) => {
    out.push(0xff, code, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload);
  };
  out.push(0xff, 0xd8);
  marker(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  marker(0xdb, [0x00, ...new Array<number>(64).fill(1)]);
  const { width: w, height: h } = img;
  marker(0xc0, [8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
  const dcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcVals = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  marker(0xc4, [0x00, ...dcBits, ...dcVals]);
  marker(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]); // AC: only EOB, code '0'
  marker(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);

  // Canonical DC codes.
  const dcCodes: Array<{ code: number; len: number }> = [];
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < dcBits[len - 1]!; i++) dcCodes[dcVals[k++]!] = { code: code++, len };
    code <<= 1;
  }
  let acc = 0;
  let n = 0;
  const put = (value: number, count: number) => {
    for (let b = count - 1; b >= 0; b--) {
      acc = (acc << 1) | ((value >> b) & 1);
      if (++n === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0); // byte stuffing
        acc = 0;
        n = 0;
      }
    }
  };
  const pred = [0, 0, 0];
  for (let by = 0; by < h; by += 8) {
    for (let bx = 0; bx < w; bx += 8) {
      const sums = [0, 0, 0];
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const px = (Math.min(h - 1, by + y) * w + Math.min(w - 1, bx + x)) * 4;
          const r = img.data[px]!;
          const g = img.data[px + 1]!;
          const b = img.data[px + 2]!;
          sums[0] += 0.299 * r + 0.587 * g + 0.114 * b;
          sums[1] += -0.168736 * r - 0.331264 * g + 0.5 * b + 128;
          sums[2] += 0.5 * r - 0.418688 * g - 0.081312 * b + 128;
        }
      }
      for (let c = 0; c < 3; c++) {
        const dc = Math.max(-1024, Math.min(1016, Math.round(sums[c]! / 8 - 1024)));
        const diff = dc - pred[c]!;
        pred[c] = dc;
        const cat = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
        put(dcCodes[cat]!.code, dcCodes[cat]!.len);
        if (cat > 0) put(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
        put(0, 1); // EOB
      }
    }
  }
  if (n > 0) put(0x7f, 8 - n); // pad with 1-bits
  out.push(0xff, 0xd9);
  return Buffer.from(out);
}
