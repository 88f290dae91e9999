// SvgElement trees (from the core's SVG writer) → DOM. Only createElementNS, setAttribute and textContent: file
// text can never become markup here. Attribute names come from our writer, never from a file. The page's CSP has
// no 'unsafe-inline', so `style` attributes go through CSSOM (`style.cssText`), which the CSP allows.
import type { SvgElement } from '../../shared/graphProtocol';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export function toDom(doc: Document, e: SvgElement): SVGElement {
  const node = doc.createElementNS(SVG_NS, e.tag) as SVGElement;
  for (const k in e.attrs) {
    if (k === 'xmlns') continue;
    if (k === 'style') node.style.cssText = String(e.attrs[k]);
    else node.setAttribute(k, String(e.attrs[k]));
  }
  if (e.text !== undefined) node.textContent = e.text;
  if (e.children) for (const c of e.children) node.appendChild(toDom(doc, c));
  return node;
}

/** The writer's <style> rules as a constructed stylesheet (an inline <style> element would be blocked by the CSP). */
export function adoptStyle(doc: Document, css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [sheet];
}
