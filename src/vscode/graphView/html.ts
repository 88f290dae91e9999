// The graph page: the preview panel's CSP and nonce rules (no network, no inline code, scripts only with this
// page's nonce, images only from the webview's own resources), the bundled script and style, and empty regions.
// Nothing from a file or a server is interpolated into this HTML; the title and labels are ours.
import { contentSecurityPolicy } from '../preview/html';

export interface GraphHtmlParts {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  lang?: string;
  labels: { fit: string; zoomIn: string; zoomOut: string; minimap: string };
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderGraphHtml(p: GraphHtmlParts): string {
  return `<!DOCTYPE html>
<html lang="${attr(p.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>ComfyUI Graph</title>
</head>
<body>
<div id="toolbar"><nav id="crumbs"></nav>
<button id="zoomOut" class="tool" title="${attr(p.labels.zoomOut)}">−</button>
<button id="zoomIn" class="tool" title="${attr(p.labels.zoomIn)}">+</button>
<button id="fit" class="tool" title="${attr(p.labels.fit)}">⤢</button></div>
<div id="canvas" role="application"></div>
<div id="notice" hidden></div>
<div id="minimap" title="${attr(p.labels.minimap)}"></div>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
