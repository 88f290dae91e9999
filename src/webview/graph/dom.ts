// SvgElement trees (from the core's SVG writer) → DOM. Only createElementNS, setAttribute and textContent: file
// text can never become markup here. Attribute names come from our writer, never from a file.
import type { SvgElement } from '../../core/graph-view/svgTree';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function toDom(doc: Document, e: SvgElement): SVGElement {
  const node = doc.createElementNS(SVG_NS, e.tag) as SVGElement;
  for (const k in e.attrs) {
    if (k === 'xmlns') continue;
    node.setAttribute(k, String(e.attrs[k]));
  }
  if (e.text !== undefined) node.textContent = e.text;
  if (e.children) for (const c of e.children) node.appendChild(toDom(doc, c));
  return node;
}
