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
const NEEDS_WORK = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

export function escapeXml(s: string): string {
  // Most strings (class names, numbers, slot names) need nothing: one scan instead of two replaces.
  if (!NEEDS_WORK.test(s)) return s;
  return s.replace(INVALID_XML, '\ufffd').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function serialize(root: SvgElement): string {
  // String concatenation (V8 ropes) beats pushing thousands of fragments and joining them.
  const write = (e: SvgElement): string => {
    let out = `<${e.tag}`;
    const attrs = e.attrs;
    for (const k in attrs) {
      const v = attrs[k]!;
      out += ` ${k}="${typeof v === 'number' ? v : escapeXml(v)}"`;
    }
    const children = e.children;
    if (e.text === undefined && (!children || children.length === 0)) return `${out}/>`;
    out += '>';
    if (e.text !== undefined) out += escapeXml(e.text);
    if (children) for (let i = 0; i < children.length; i++) out += write(children[i]!);
    return `${out}</${e.tag}>`;
  };
  return write(root);
}
