// Finding the "image" input of a LoadImage-style node at an offset of an API workflow. Such inputs are combos of the
// server's input/ folder with `image_upload: true` in their options (LoadImage, LoadImageMask, LoadImageOutput and
// custom nodes that reuse the upload widget). No editor API here.
import { findInputAtOffset, findNodeAtOffset, type WorkflowDocument, type WorkflowInput, type WorkflowNode } from '../../core/workflow/document';
import type { NodeDefs } from '../../core/workflow/nodeDefs';

export interface ImageInputAt {
  node: WorkflowNode;
  input: WorkflowInput;
  /** The current string value (undefined when it is not a string yet). */
  value: string | undefined;
}

const KNOWN_IMAGE_LOADERS = new Set(['LoadImage', 'LoadImageMask', 'LoadImageOutput']);

export function isImageUploadInput(classType: string | undefined, inputName: string, defs: NodeDefs | undefined): boolean {
  if (!classType) return false;
  const def = defs?.get(classType)?.inputByName.get(inputName);
  if (def) return def.options.image_upload === true;
  // Without definitions: the core loaders' input name.
  return KNOWN_IMAGE_LOADERS.has(classType) && inputName === 'image';
}

export function findImageInputAt(doc: WorkflowDocument, defs: NodeDefs | undefined, offset: number): ImageInputAt | undefined {
  const node = findNodeAtOffset(doc, offset);
  if (!node) return undefined;
  const input = findInputAtOffset(node, offset);
  if (!input || !isImageUploadInput(node.classType, input.name, defs)) return undefined;
  return { node, input, value: typeof input.value === 'string' ? input.value : undefined };
}

/** The value LoadImage expects for an upload answer: `sub/name` when the server stored it in a subfolder. */
export function loadImageValue(upload: { name: string; subfolder: string }): string {
  return upload.subfolder ? `${upload.subfolder.replace(/\\/g, '/').replace(/\/+$/, '')}/${upload.name}` : upload.name;
}
