// The preview page: a strict Content Security Policy (no network, no inline code; scripts only with this page's
// nonce, images only from the webview's own resources, blob: and data:), the bundled script and style, and three
// empty regions the script fills. Nothing from a server or a file is interpolated into this HTML.
import { randomBytes } from 'node:crypto';

export interface PreviewHtmlParts {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(dist/webview/preview.js)`. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview/preview.css)`. */
  styleUri: string;
  nonce: string;
  /** The UI language for `<html lang>`. */
  lang?: string;
}

export interface PreviewPageParts extends PreviewHtmlParts {
  /** The page's own words in the editor's language (JSON in an attribute: data, never markup). */
  labels?: Record<string, string>;
}

/** 128 random bits, base64: unguessable per page load. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource} blob: data:`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `<!DOCTYPE html>` through `<body>`: the CSP, the stylesheet and the title (the graph page shares it). */
export function pageHead(p: Pick<PreviewHtmlParts, 'cspSource' | 'nonce' | 'styleUri' | 'lang'>, title: string): string {
  return `<!DOCTYPE html>
<html lang="${attr(p.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${attr(title)}</title>
</head>
<body>`;
}

export function renderPreviewHtml(p: PreviewPageParts): string {
  return `${pageHead(p, 'ComfyUI Preview')}
<header id="header"></header>
<section id="live" hidden></section>
<section id="compare" hidden></section>
<main id="gallery"${p.labels ? ` data-labels="${attr(JSON.stringify(p.labels))}"` : ''}></main>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
