// Reading the text chunks of a PNG (tEXt, zTXt, iTXt) as ComfyUI's SaveImage writes them (`prompt` and `workflow`
// as JSON in tEXt via PIL's PngInfo) and as other tools write them (iTXt, compressed zTXt). Bytes come from
// servers and workspaces we do not control: every length is checked, a bad chunk is reported and skipped, and
// decompression is capped so a small file cannot inflate into gigabytes.
import { inflateSync } from 'node:zlib';

export interface PngTextEntry {
  keyword: string;
  text: string;
  chunk: 'tEXt' | 'zTXt' | 'iTXt';
}

export interface PngTextResult {
  entries: PngTextEntry[];
  /** One sentence per chunk that could not be read (the rest still is). */
  problems: string[];
}

export interface PngTextOptions {
  /** Cap for one decompressed text (default 64 MB: big UI workflows are a few MB). */
  maxTextBytes?: number;
  /**
   * Cap for all texts of the file together (default 64 MB). Without it, many small compressed chunks could each
   * inflate to the per-chunk cap (issue 13, finding 9: a 1.2 MB PNG cost 62 s and 1.5 GB).
   */
  maxTotalTextBytes?: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DEFAULT_MAX_TEXT = 64 * 1024 * 1024;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The text chunks of a PNG, in file order. Not a PNG → no entries and one problem. Never throws. */
export function readPngText(bytes: Uint8Array, options: PngTextOptions = {}): PngTextResult {
  const entries: PngTextEntry[] = [];
  const problems: string[] = [];
  if (!isPng(bytes)) return { entries, problems: ['The file is not a PNG image.'] };
  const max = options.maxTextBytes ?? DEFAULT_MAX_TEXT;
  let budget = options.maxTotalTextBytes ?? DEFAULT_MAX_TEXT;
  let overBudget = false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 8;
  while (off + 8 <= bytes.length) {
    const length = view.getUint32(off);
    const type = latin1(bytes.subarray(off + 4, off + 8));
    const start = off + 8;
    const end = start + length;
    if (end + 4 > bytes.length) {
      problems.push(`The ${printable(type)} chunk at byte ${off} runs past the end of the file.`);
      break;
    }
    if ((type === 'tEXt' || type === 'zTXt' || type === 'iTXt') && !overBudget) {
      if (budget <= 0) {
        overBudget = true;
        problems.push(`The text chunks from byte ${off} on were skipped: together they exceed ${options.maxTotalTextBytes ?? DEFAULT_MAX_TEXT} bytes.`);
      } else {
        const parsed = parseTextChunk(type, bytes.subarray(start, end), Math.min(max, budget));
        if (typeof parsed === 'string') {
          problems.push(`The ${type} chunk at byte ${off}: ${parsed}`);
          // A chunk that hit the cap spent (at least) the remaining budget.
          if (parsed.includes('inflates to more than') || parsed.includes('larger than')) budget = 0;
        } else {
          entries.push(parsed);
          budget -= parsed.text.length;
        }
      }
    }
    if (type === 'IEND') break;
    off = end + 4; // the CRC is not checked: a wrong CRC on a text chunk still holds readable text
  }
  return { entries, problems };
}

function parseTextChunk(type: 'tEXt' | 'zTXt' | 'iTXt', data: Uint8Array, max: number): PngTextEntry | string {
  const nul = data.indexOf(0);
  if (nul <= 0 || nul > 79) return 'it has no valid keyword.';
  const keyword = latin1(data.subarray(0, nul));
  if (type === 'tEXt') return { keyword, text: latin1(data.subarray(nul + 1)), chunk: type };
  if (type === 'zTXt') {
    if (data[nul + 1] !== 0) return 'it uses an unknown compression method.';
    const inflated = inflate(data.subarray(nul + 2), max);
    return typeof inflated === 'string' ? inflated : { keyword, text: latin1(inflated), chunk: type };
  }
  // iTXt: keyword\0 flag method language\0 translated\0 text
  const flag = data[nul + 1];
  const method = data[nul + 2];
  if (flag === undefined || method === undefined) return 'it is truncated.';
  const langEnd = data.indexOf(0, nul + 3);
  const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
  if (transEnd < 0) return 'it is truncated.';
  const body = data.subarray(transEnd + 1);
  let textBytes: Uint8Array = body;
  if (flag === 1) {
    if (method !== 0) return 'it uses an unknown compression method.';
    const inflated = inflate(body, max);
    if (typeof inflated === 'string') return inflated;
    textBytes = inflated;
  } else if (body.length > max) return `its text is larger than ${max} bytes.`;
  return { keyword, text: new TextDecoder('utf-8').decode(textBytes), chunk: type };
}

function inflate(data: Uint8Array, max: number): Uint8Array | string {
  try {
    return inflateSync(data, { maxOutputLength: max });
  } catch (error) {
    // Node reports the cap as a RangeError (ERR_BUFFER_TOO_LARGE); anything else is bad deflate data.
    return error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      ? `its text inflates to more than ${max} bytes.`
      : 'its compressed text is corrupt.';
  }
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function printable(type: string): string {
  return /^[A-Za-z]{4}$/.test(type) ? type : 'unknown';
}

/** Builds a PNG chunk (tests and fixtures). @internal */
export function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;
function crc32(b: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
