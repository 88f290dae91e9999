// Issue 13, deliver 6 (editor half): the hostile documents through the editor adapters (activate() with the vscode
// shim). Each one ends with diagnostics published in a generous time (no hang, the worker absorbs the cost or is cut
// off at its budget), at most one screenful, and a normal workflow open next to it keeps its one known problem.
import '../helpers/vscode-shim/register';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { shim, type vscode } from '../helpers/vscode-shim/control';
import { waitFor } from '../helpers/wait';
import { activateExtension, type ActivatedExtension } from '../helpers/activation';
import type { EditorServices } from '../../src/vscode/api';
import { MAX_DIAGNOSTICS } from '../../src/vscode/language/diagnostics';
import { hostileDocuments, normalWithOneError } from './hostileDocuments';

const OBJECT_INFO = path.join(__dirname, '..', 'fixtures', 'editor', 'object_info.json');
let extension: ActivatedExtension | undefined;
let services: EditorServices;
const published = new Map<string, number>();

before(async () => {
  shim.reset();
  extension = activateExtension({
    settings: { 'comfyui.serverUrl': 'http://127.0.0.1:9', 'comfyui.objectInfoPath': OBJECT_INFO, 'comfyui.validation.debounceMs': 0 },
  });
  services = extension.services;
  await services.ready;
  services.diagnostics.onDidUpdate((u) => published.set(u.uri.toString(), u.version));
});
after(() => extension?.deactivate());

async function diagnosticsOf(doc: { uri: vscode.Uri; version: number }, timeoutMs: number): Promise<vscode.Diagnostic[]> {
  await waitFor(() => (published.get(doc.uri.toString()) ?? -1) >= doc.version, { timeoutMs, message: `diagnostics of ${doc.uri.path}` });
  return shim.diagnostics(doc);
}

for (const [i, hostile] of hostileDocuments().entries()) {
  test(`hostile: ${hostile.name}`, { timeout: 90_000 }, async () => {
    const normal = shim.openDocument(normalWithOneError(), { path: `/workspace/normal-${i}.json` });
    const doc = shim.openDocument(hostile.text, { path: `/workspace/hostile-${i}.json` });
    const started = Date.now();
    const ds = await diagnosticsOf(doc, 60_000);
    assert.ok(Date.now() - started < 60_000);
    assert.ok(ds.length >= 1, 'the hostile file gets a problem (or says its checks were cut short)');
    assert.ok(ds.length <= MAX_DIAGNOSTICS + 1, `${ds.length} diagnostics`);
    // An edit is handled the same way (the newer version replaces the older one's work).
    shim.edit(doc, 1, 0, ' ');
    assert.ok((await diagnosticsOf(doc, 60_000)).length >= 1);
    const normalDs = await diagnosticsOf(normal, 60_000);
    assert.deepEqual(
      normalDs.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)),
      ['value_bigger_than_max'],
      'the normal file next to it keeps its one known problem',
    );
    assert.ok(process.memoryUsage().rss < 3 * 1024 ** 3, `rss ${process.memoryUsage().rss}`);
    shim.close(doc);
    shim.close(normal);
  });
}
