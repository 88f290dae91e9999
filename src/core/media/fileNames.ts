// File names from a server's answer are data: they may hold "../", slashes, quotes, HTML or control characters.
// These helpers make a name safe for the local file system; display code renders names as text, never as markup.

/** The last path segment with control and reserved characters replaced; never empty, never "." or "..". */
export function safeBaseName(name: string, fallback = 'output'): string {
  const last =
    name
      .split(/[\\/]/)
      .filter((s) => s !== '' && s !== '.' && s !== '..')
      .pop() ?? '';
  const cleaned = last
    .replace(/[\x00-\x1f\x7f<>:"|?*]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length))
    .trim()
    .slice(0, 200);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : fallback;
}

/** A subfolder as path segments with each one made safe; "../" segments are dropped, not followed. */
export function safeSubfolder(subfolder: string): string[] {
  return subfolder
    .split(/[\\/]/)
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => safeBaseName(s, '_'));
}

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  glb: 'model/gltf-binary',
  obj: 'model/obj',
  txt: 'text/plain',
  json: 'application/json',
};

export function mediaTypeOf(filename: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return (ext && MEDIA_TYPES[ext]) || 'application/octet-stream';
}

export type MediaKind = 'image' | 'video' | 'audio' | 'other';

export function mediaKindOf(filename: string): MediaKind {
  const t = mediaTypeOf(filename);
  return t.startsWith('image/') ? 'image' : t.startsWith('video/') ? 'video' : t.startsWith('audio/') ? 'audio' : 'other';
}
