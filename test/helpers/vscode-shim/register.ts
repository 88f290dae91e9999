// Makes `require('vscode')` / `import 'vscode'` resolve to the shim. Import this FIRST in a test file.
// Product code is compiled to CommonJS by tsx (package.json has no "type": "module"), so hooking the CJS resolver
// is enough.
import Module from 'node:module';
import * as path from 'node:path';

const target = path.join(__dirname, 'index.ts');
const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = mod._resolveFilename;
if (!(original as { __vscodeShim?: boolean }).__vscodeShim) {
  const patched = function (this: unknown, request: string, ...rest: unknown[]): string {
    if (request === 'vscode') return target;
    return original.call(this, request, ...rest);
  };
  (patched as { __vscodeShim?: boolean }).__vscodeShim = true;
  mod._resolveFilename = patched;
}
