// The graph page: the preview panel's CSP and nonce rules (no network, no inline code, scripts only with this
// page's nonce, images only from the webview's own resources), the bundled script and style, and empty regions.
// Nothing from a file or a server is interpolated into this HTML; the title and labels are ours.
import { attr, pageHead } from '../preview/html';

export interface GraphHtmlParts {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  lang?: string;
  labels: { fit: string; zoomIn: string; zoomOut: string; minimap: string };
}

export function renderGraphHtml(p: GraphHtmlParts): string {
  return `${pageHead(p, 'ComfyUI Graph')}
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
