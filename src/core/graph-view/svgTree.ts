// A tiny element tree: the SVG writer builds it once; ./svg.ts serializes it to text (CLI, docs) and the webview
// turns it into DOM with createElementNS/setAttribute/textContent (text stays text there too).

export interface SvgElement {
  tag: string;
  attrs: Record<string, string | number>;
  /** Text content (escaped on serialization; `textContent` in the webview). */
  text?: string;
  children?: SvgElement[];
}

export function el(tag: string, attrs: Record<string, string | number>, children?: SvgElement[] | string): SvgElement {
  if (typeof children === 'string') return { tag, attrs, text: children };
  return children ? { tag, attrs, children } : { tag, attrs };
}

// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/FFFF) and unpaired surrogates become U+FFFD.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for XML text and attribute values (both quote styles). */
export function escapeXml(s: string): string {
  return s.replace(INVALID_XML, '\ufffd').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function serialize(root: SvgElement): string {
  const parts: string[] = [];
  const write = (e: SvgElement): void => {
    parts.push('<', e.tag);
    for (const k in e.attrs) parts.push(' ', k, '="', escapeXml(String(e.attrs[k])), '"');
    if (e.text === undefined && (!e.children || e.children.length === 0)) {
      parts.push('/>');
      return;
    }
    parts.push('>');
    if (e.text !== undefined) parts.push(escapeXml(e.text));
    if (e.children) for (const c of e.children) write(c);
    parts.push('</', e.tag, '>');
  };
  write(root);
  return parts.join('');
}
