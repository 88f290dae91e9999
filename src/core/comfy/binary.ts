// Decoding of ComfyUI's binary WebSocket frames (protocol.py BinaryEventTypes; all integers big-endian u32):
//   1 PREVIEW_IMAGE               [u32 type][u32 image_format 1=JPEG 2=PNG][image bytes]
//   3 TEXT                        [u32 type][u32 node_id_len][node_id utf-8][text utf-8]
//   4 PREVIEW_IMAGE_WITH_METADATA [u32 type][u32 json_len][json utf-8][image bytes]
// A frame that does not fit its layout yields a `malformed` result instead of throwing: one bad frame from a
// custom node must not take the socket down.
import { sniffImageType } from '../media/imageInfo';

export interface PreviewMetadata {
  node_id?: string;
  prompt_id?: string;
  display_node_id?: string;
  parent_node_id?: string | null;
  real_node_id?: string;
  image_type?: string;
  [key: string]: unknown;
}

export type BinaryFrame =
  | { kind: 'preview'; eventType: 1; mimeType: string; image: Uint8Array }
  | { kind: 'preview'; eventType: 4; mimeType: string; image: Uint8Array; metadata: PreviewMetadata }
  | { kind: 'text'; eventType: 3; nodeId: string; text: string }
  | { kind: 'unknown'; eventType: number; payload: Uint8Array };

export interface MalformedFrame {
  kind: 'malformed';
  eventType: number | undefined;
  byteLength: number;
  reason: string;
}

export const BinaryEventType = { PREVIEW_IMAGE: 1, UNENCODED_PREVIEW_IMAGE: 2, TEXT: 3, PREVIEW_IMAGE_WITH_METADATA: 4 } as const;

const IMAGE_FORMATS: Record<number, string> = { 1: 'image/jpeg', 2: 'image/png' };

export function decodeBinaryFrame(data: ArrayBuffer | ArrayBufferView): BinaryFrame | MalformedFrame {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const malformed = (reason: string, eventType?: number): MalformedFrame => ({ kind: 'malformed', eventType, byteLength: bytes.byteLength, reason });

  if (bytes.byteLength < 4) return malformed(`frame of ${bytes.byteLength} bytes has no event type`);
  const eventType = view.getUint32(0);

  switch (eventType) {
    case BinaryEventType.PREVIEW_IMAGE: {
      if (bytes.byteLength < 8) return malformed('preview frame has no image format', eventType);
      const format = view.getUint32(4);
      const image = bytes.subarray(8);
      if (image.byteLength === 0) return malformed('preview frame has no image bytes', eventType);
      const mimeType = IMAGE_FORMATS[format] ?? sniffImageType(image);
      if (!mimeType) return malformed(`preview frame has unknown image format ${format}`, eventType);
      return { kind: 'preview', eventType, mimeType, image };
    }
    case BinaryEventType.TEXT: {
      if (bytes.byteLength < 8) return malformed('text frame has no node id length', eventType);
      const idLength = view.getUint32(4);
      if (8 + idLength > bytes.byteLength)
        return malformed(`text frame declares a ${idLength}-byte node id but has ${bytes.byteLength - 8} bytes left`, eventType);
      let nodeId: string;
      try {
        nodeId = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + idLength));
      } catch {
        return malformed('text frame node id is not valid UTF-8', eventType);
      }
      // The text is progress output of a node: show it even if a byte is off.
      const text = new TextDecoder('utf-8').decode(bytes.subarray(8 + idLength));
      return { kind: 'text', eventType, nodeId, text };
    }
    case BinaryEventType.PREVIEW_IMAGE_WITH_METADATA: {
      if (bytes.byteLength < 8) return malformed('preview frame has no metadata length', eventType);
      const jsonLength = view.getUint32(4);
      if (8 + jsonLength > bytes.byteLength)
        return malformed(`preview frame declares ${jsonLength} bytes of metadata but has ${bytes.byteLength - 8} bytes left`, eventType);
      let metadata: unknown;
      try {
        metadata = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + jsonLength)));
      } catch {
        return malformed('preview frame metadata is not valid JSON', eventType);
      }
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
        return malformed('preview frame metadata is not a JSON object', eventType);
      const image = bytes.subarray(8 + jsonLength);
      if (image.byteLength === 0) return malformed('preview frame has no image bytes', eventType);
      const declared = (metadata as PreviewMetadata).image_type;
      const mimeType = typeof declared === 'string' && declared.startsWith('image/') ? declared : (sniffImageType(image) ?? 'application/octet-stream');
      return { kind: 'preview', eventType, mimeType, image, metadata: metadata as PreviewMetadata };
    }
    default:
      return { kind: 'unknown', eventType, payload: bytes.subarray(4) };
  }
}

/** Builds a frame (tests and their fixtures). @internal */
export function encodeBinaryFrame(eventType: number, header: Uint8Array | number, body: Uint8Array): Uint8Array {
  const head = typeof header === 'number' ? new Uint8Array(0) : header;
  const out = new Uint8Array(8 + head.byteLength + body.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, eventType);
  view.setUint32(4, typeof header === 'number' ? header : head.byteLength);
  out.set(head, 8);
  out.set(body, 8 + head.byteLength);
  return out;
}
