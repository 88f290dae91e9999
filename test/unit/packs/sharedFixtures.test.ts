// How far the offline sources get on real workflows (../shared/fixtures/ui against a real 0.33 server's classes):
// the workflow's own records first, then a node map built for this test from the fixtures' own data (the
// `python_module: custom_nodes.<pack dir>` of every custom class in ../shared/fixtures/object_info dumps).
// The counts go to the test log (t.diagnostic); the assertions keep them consistent and non-trivial.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { listShared, NEEDS_SHARED, readSharedJson, sharedPath } from '../../helpers/shared';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { prepareNodeDefs } from '../../../src/core/workflow/nodeDefs';
import { validateUiWorkflow } from '../../../src/core/workflow/ui/validateUi';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { documentPackView } from '../../../src/core/packs/document';
import { missingClassOf } from '../../../src/core/packs/enrich';
import { parseNodeMap } from '../../../src/core/packs/nodeMap';
import { resolveClassSync } from '../../../src/core/packs/resolver';

/** extension-node-map.json built from the dumps: pack dir name (a registry-id-like key) → its classes. */
function mapFromDumps(): Record<string, [string[], { title_aux: string }]> {
  const map: Record<string, [string[], { title_aux: string }]> = {};
  for (const f of listShared('fixtures', 'object_info')) {
    const dump = readSharedJson<Record<string, { python_module?: unknown }>>('fixtures', 'object_info', f);
    for (const [cls, def] of Object.entries(dump)) {
      const m = /^custom_nodes\.([^.]+)/.exec(String(def?.python_module ?? ''));
      if (!m) continue;
      const key = m[1]!.replace(/@.*$/, '');
      (map[key] ??= [[], { title_aux: key }])[0].push(cls);
    }
  }
  return map;
}

test('missing classes of the shared UI workflows: how many get a pack from each offline source', { skip: NEEDS_SHARED }, (t) => {
  const objectInfo = readSharedJson<ObjectInfo>('fixtures', 'real-server-0.33', 'object_info.json');
  const defs = prepareNodeDefs(objectInfo);
  const map = parseNodeMap(mapFromDumps(), 'nodeMap', 'fixtures map');
  const counts = { missing: 0, workflow: 0, nodeMap: 0, none: 0, nodesWithCnrId: 0, models: 0 };
  const distinct = new Map<string, 'workflow' | 'nodeMap' | 'none'>();
  for (const f of listShared('fixtures', 'ui')) {
    const text = readFileSync(sharedPath('fixtures', 'ui', f), 'utf8');
    const doc = parseWorkflowDocument(text);
    const view = documentPackView(doc);
    counts.nodesWithCnrId += view.info.nodesWithCnrId;
    counts.models += view.info.models.length;
    const missing = new Set<string>();
    for (const p of validateUiWorkflow(text, objectInfo, { defs })) {
      if (p.code !== 'missing_node_type') continue;
      const c = missingClassOf(p, view.classOf);
      if (c) missing.add(c);
    }
    for (const c of missing) {
      counts.missing++;
      const source = resolveClassSync(c, { workflow: view.info }).length ? 'workflow' : resolveClassSync(c, { nodeMaps: [map] }).length ? 'nodeMap' : 'none';
      counts[source]++;
      if (distinct.get(c) !== 'workflow') distinct.set(c, source);
    }
  }
  const by = (s: string) => [...distinct.values()].filter((v) => v === s).length;
  t.diagnostic(`per file: ${JSON.stringify(counts)}; map: ${map.packCount} packs, ${map.classCount} classes`);
  t.diagnostic(`distinct classes: ${distinct.size} missing, workflow ${by('workflow')}, node map ${by('nodeMap')}, none ${by('none')}`);
  assert.equal(counts.workflow + counts.nodeMap + counts.none, counts.missing);
  assert.ok(counts.workflow > 0 && counts.nodeMap > 0, 'both offline sources answer something');
  assert.ok(counts.nodesWithCnrId >= 116, `the issue counted 116 nodes with cnr_id; found ${counts.nodesWithCnrId}`);
});
