// esbuild bundles imported CSS into dist/webview/preview.css (loaded by the page through a <link>).
declare module '*.css';
