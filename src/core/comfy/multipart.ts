// multipart/form-data encoding for the upload routes. Built by hand (a few lines) so the exact bytes on the wire
// are known and testable, rather than depending on how an HTTP library serializes a FormData body.
import { randomBytes } from 'node:crypto';

export type MultipartField = { name: string; value: string } | { name: string; filename: string; contentType: string; data: Uint8Array };

export function encodeMultipart(
  fields: readonly MultipartField[],
  boundary = `----comfyui-workflows-${randomBytes(12).toString('hex')}`,
): {
  body: Buffer;
  contentType: string;
} {
  const parts: Buffer[] = [];
  for (const f of fields) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(f.name)}"`;
    if ('data' in f) {
      head += `; filename="${quote(f.filename)}"\r\nContent-Type: ${f.contentType}\r\n\r\n`;
      parts.push(Buffer.from(head, 'utf8'), Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), Buffer.from('\r\n'));
    } else {
      head += `\r\n\r\n`;
      parts.push(Buffer.from(head + f.value + '\r\n', 'utf8'));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// Quotes, CR and LF cannot appear raw inside a quoted header parameter; browsers percent-encode them (WHATWG).
function quote(s: string): string {
  return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
