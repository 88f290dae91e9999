// The generation metadata ComfyUI embeds in its outputs: the API prompt and the UI workflow, from a PNG's text
// chunks (SaveImage) or a WebP's EXIF (SaveAnimatedWEBP / SaveWEBM-style nodes). Pure: bytes in, parsed JSON out.
import { comfyExifEntries, readExifIfd0 } from './exif';
import { isPng, readPngText } from './png';
import { isWebp, webpChunks } from './riff';

export interface EmbeddedMetadata {
  format: 'png' | 'webp' | 'other';
  /** The API prompt (object of nodes), when present and valid JSON. */
  prompt?: unknown;
  /** The UI workflow (nodes + links), when present and valid JSON. */
  workflow?: unknown;
  /** Every text entry found (keyword → raw text), e.g. also "parameters" from A1111-style tools. */
  texts: Record<string, string>;
  /** Readable sentences about what was wrong (bad chunk, invalid JSON, no EXIF …). */
  problems: string[];
}

export function readEmbeddedMetadata(bytes: Uint8Array): EmbeddedMetadata {
  if (isPng(bytes)) {
    const r = readPngText(bytes);
    const texts: Record<string, string> = {};
    for (const e of r.entries) if (!(e.keyword in texts)) texts[e.keyword] = e.text;
    return finish('png', texts, r.problems);
  }
  if (isWebp(bytes)) {
    const { chunks, problems } = webpChunks(bytes);
    const exif = chunks.find((c) => c.fourcc === 'EXIF');
    if (!exif) return finish('webp', {}, [...problems, 'The WebP image has no EXIF chunk, so it carries no ComfyUI metadata.']);
    const r = readExifIfd0(exif.data);
    return finish('webp', comfyExifEntries(r.fields), [...problems, ...r.problems]);
  }
  return { format: 'other', texts: {}, problems: ['Only PNG and WebP images carry ComfyUI metadata.'] };
}

/** True when the image holds a prompt or a workflow. */
export function hasWorkflow(m: EmbeddedMetadata): boolean {
  return m.prompt !== undefined || m.workflow !== undefined;
}

function finish(format: 'png' | 'webp', texts: Record<string, string>, problems: string[]): EmbeddedMetadata {
  const out: EmbeddedMetadata = { format, texts, problems: [...problems] };
  for (const key of ['prompt', 'workflow'] as const) {
    const raw = texts[key];
    if (raw === undefined) continue;
    const value = parsePythonJson(raw);
    if (value === undefined || typeof value !== 'object' || value === null) out.problems.push(`The embedded ${key} is not a JSON object.`);
    else out[key] = value;
  }
  return out;
}

/**
 * JSON.parse, also accepting the NaN/Infinity tokens Python's json.dumps writes for non-finite floats (they become
 * null, as JSON has no such values). undefined when the text is not JSON.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Replace bare tokens outside strings only.
    const fixed = text.replace(/("(?:[^"\\]|\\.)*")|(-?\bInfinity|\bNaN)\b/g, (m, str: string | undefined) => (str ? m : 'null'));
    try {
      return JSON.parse(fixed);
    } catch {
      return undefined;
    }
  }
}
