// The workflow graph beside the JSON: open it, click a node (the editor selection moves to its key), edit a value
// (the node's text follows), queue (the running node is marked with its steps). The screenshot goes to the README.
// Then a UI workflow: Tab and Enter reveal a node's entry in `nodes`, double-click opens a subgraph and the
// breadcrumb leads back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { scenario, useE2E } from '../harness/scenario';

const env = useE2E({ name: 'graph' });
const FILE = 'graph.api.json';
const text = readFileSync(join(__dirname, '..', 'workspace', FILE), 'utf8');
const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

let frame: Frame | undefined;

scenario('the graph opens beside the JSON with a problem badge, and a click moves the editor selection', env, async ({ wb, screenshot }) => {
  await wb.openFile(FILE);
  // node 7 has an input its class does not declare: a warning the server tolerates (the file still queues).
  await wb.waitForProblems((rows) => rows.some((r) => r.includes('undeclared_input')), 60_000);
  await wb.runCommand('ComfyUI: Show Workflow Graph');
  frame = await wb.webviewFrame('g[data-node-id="3"]');
  await frame.locator('g[data-node-id="7"] .badge').waitFor({ state: 'attached', timeout: 30_000 });
  assert.equal(await frame.locator('path.link[data-from="4:1"][data-to="6:clip"]').count(), 1);

  await frame.locator('g[data-node-id="3"] .node-title-text').click();
  const line = lineOf('"3": {');
  await wb.page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col \\d+`) }).waitFor({ timeout: 30_000 });
  await screenshot('graph-open');
});

scenario('editing a value in the JSON changes the node’s text', env, async ({ wb }) => {
  assert.ok(frame, 'the graph is open');
  // The JSON's editor is the active one again (the click revealed it); openFile would also match the graph's tab.
  await wb.gotoText('"text": "blurry');
  await wb.page.keyboard.type(' hands');
  await frame.locator('g[data-node-id="7"] .widget-value', { hasText: 'blurry hands' }).waitFor({ state: 'attached', timeout: 30_000 });
});

scenario('queueing marks the running node with its steps', env, async ({ wb, screenshot }) => {
  assert.ok(frame, 'the graph is open');
  await wb.focusEditor();
  await wb.runCommand('ComfyUI: Queue Workflow');
  await frame.locator('g.node.run-executing[data-node-id="3"] .run-steps').waitFor({ state: 'attached', timeout: 60_000 });
  await wb.gotoText('"3": {', 0);
  // More room for the graph: hide the side bar and the panel, then fit the graph to its new size.
  await wb.page.keyboard.press('Control+B');
  await wb.runCommand('View: Close Panel').catch(() => undefined);
  await frame.locator('#canvas').click({ position: { x: 5, y: 5 } });
  await frame.press('body', 'f');
  await wb.parkMouse();
  // The view rests (the page paints it sharp again once a zoom or pan is over).
  await frame.locator('#stage:not(.moving)').waitFor({ state: 'attached', timeout: 10_000 });
  await screenshot('graph', { docs: true });
  // Stop the long run so the next scenario starts clean; the command asks first (a modal dialog would block it).
  await wb.runCommand('ComfyUI: Cancel Running Workflow').catch(() => undefined);
  const confirm = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /Cancel (Run|Job|Prompt)|Interrupt|Yes|OK/ }).first();
  if (
    await confirm.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    )
  )
    await confirm.click();
});

scenario(
  'a UI workflow: Tab walks the nodes, Enter reveals the entry in nodes[], a badge goes to its problem, double-click opens a subgraph',
  env,
  async ({ wb }) => {
    const UI_FILE = 'graph.ui.json';
    const uiText = readFileSync(join(__dirname, '..', 'workspace', UI_FILE), 'utf8');
    await wb.openFile(UI_FILE);
    await wb.runCommand('ComfyUI: Show Workflow Graph');
    const ui = await wb.webviewFrame('g.node.kind-subgraph[data-node-id="10"]');

    // Keyboard: an empty spot of the canvas takes the focus (a click on no node reveals nothing), then Tab, Enter.
    await ui.locator('#canvas').click({ position: { x: 5, y: 5 } });
    await ui.press('body', 'Tab');
    const focused = await ui.locator('g.node.focused').getAttribute('data-node-id');
    assert.ok(focused, 'Tab focuses a node');
    await ui.press('body', 'Enter');
    const entryLine = uiText.split('\n').findIndex((l) => l.includes(`{ "id": ${focused},`)) + 1;
    assert.ok(entryLine > 0, `node ${focused} is in nodes[]`);
    await wb.page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${entryLine}, Col \\d+`) }).waitFor({ timeout: 30_000 });

    // A problem badge: KSampler's cfg 150 is above its maximum; a click on the badge goes to the value.
    await ui.locator('g[data-node-id="3"] .badge').waitFor({ state: 'attached', timeout: 60_000 });
    await ui.locator('g[data-node-id="3"] .badge').click();
    const valuesLine = uiText.split('\n').findIndex((l) => l.includes('"widgets_values": [42, "fixed", 20, 150')) + 1;
    await wb.page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${valuesLine}, Col \\d+`) }).waitFor({ timeout: 30_000 });

    // Drill-in: the subgraph's own input and output nodes replace the root graph; the breadcrumb's first item goes back.
    await ui.locator('g[data-node-id="10"] .node-body').dblclick();
    await ui.locator('#crumbs button', { hasText: 'Invert twice' }).waitFor({ timeout: 30_000 });
    await ui.locator('g[data-node-id="-10"]').waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await ui.locator('g[data-node-id="3"]').count(), 0, 'the root graph is replaced');
    await ui.locator('#crumbs button').first().click();
    await ui.locator('g[data-node-id="3"]').waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await ui.locator('#crumbs button').count(), 1, 'back at the root');
  },
);
