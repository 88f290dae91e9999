// Differential test: our validator against the mock server's independent implementation of validate_prompt
// (test/mock-comfyui/validate.ts), over every real API workflow in ../shared and mutated copies of each.
// Agreement means: the nodes we give error-severity problems are exactly the nodes the mock names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HAS_SHARED, listShared, NEEDS_SHARED, readSharedJson } from '../../helpers/shared';
import { nodesNamedByServer, nodesNamedByUs, type PromptErrorAnswer } from '../../helpers/namedNodes';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { prepareNodeDefs, type NodeDefs } from '../../../src/core/workflow/nodeDefs';
import { validateWorkflow } from '../../../src/core/workflow/validate';
import { validatePrompt } from '../../mock-comfyui/validate';

type Prompt = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: unknown }>;
type Dump = Record<
  string,
  { input?: { required?: Record<string, unknown[]>; optional?: Record<string, unknown[]> }; output?: unknown[]; output_node?: boolean }
>;

const dumps = HAS_SHARED ? listShared('fixtures/object_info').map((f) => ({ name: f, info: readSharedJson<Dump>('fixtures/object_info', f) })) : [];
const prepared = new Map<string, NodeDefs>();
function defsOf(name: string, info: Dump): NodeDefs {
  let d = prepared.get(name);
  if (!d) prepared.set(name, (d = prepareNodeDefs(info)));
  return d;
}

/** The dump that knows the most of the workflow's classes (ties: the smaller dump). */
function bestDump(prompt: Prompt): { name: string; info: Dump; missing: number } {
  const classes = [...new Set(Object.values(prompt).map((n) => n.class_type))];
  let best: { name: string; info: Dump; missing: number } | undefined;
  for (const d of dumps) {
    const missing = classes.filter((c) => !(c in d.info)).length;
    if (!best || missing < best.missing || (missing === best.missing && Object.keys(d.info).length < Object.keys(best.info).length)) {
      best = { ...d, missing };
    }
  }
  return best!;
}

function mockNodes(prompt: Prompt, info: Dump): string[] | 'internal_error' {
  const r = validatePrompt(prompt, info as Record<string, unknown>, { keyOrder: Object.keys(prompt) });
  if (r.status === 500) return 'internal_error';
  return nodesNamedByServer(r.body as PromptErrorAnswer);
}

function ourNodes(prompt: Prompt, defs: NodeDefs): string[] {
  return nodesNamedByUs(validateWorkflow(parseWorkflowDocument(JSON.stringify(prompt, null, 2)), defs));
}

const isLink = (v: unknown): v is [string, number] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';
const specsOf = (info: Dump, cls: string): [string, unknown[], boolean][] => {
  const i = info[cls]?.input ?? {};
  return [
    ...Object.entries(i.required ?? {}).map(([k, s]) => [k, s, true] as [string, unknown[], boolean]),
    ...Object.entries(i.optional ?? {}).map(([k, s]) => [k, s, false] as [string, unknown[], boolean]),
  ];
};

interface Mutation {
  kind: string;
  apply(prompt: Prompt, info: Dump): string | undefined; // returns the mutated node id, or undefined when not applicable
}

const MUTATIONS: Mutation[] = [
  {
    kind: 'class_renamed',
    apply: (p) => {
      const id = Object.keys(p)[Math.floor(Object.keys(p).length / 2)];
      if (!id) return undefined;
      p[id]!.class_type += 'Zz';
      return id;
    },
  },
  {
    kind: 'required_removed',
    apply: (p, info) => {
      for (const [id, n] of Object.entries(p)) {
        const req = specsOf(info, n.class_type).find(([k, , r]) => r && k in n.inputs);
        if (req) {
          delete n.inputs[req[0]];
          return id;
        }
      }
      return undefined;
    },
  },
  {
    kind: 'over_max',
    apply: (p, info) => {
      for (const [id, n] of Object.entries(p)) {
        for (const [k, s] of specsOf(info, n.class_type)) {
          const o = (s[1] ?? {}) as { max?: unknown };
          if ((s[0] === 'INT' || s[0] === 'FLOAT') && typeof o.max === 'number' && typeof n.inputs[k] === 'number') {
            n.inputs[k] = s[0] === 'INT' ? o.max + 1 : o.max + 0.5;
            return id;
          }
        }
      }
      return undefined;
    },
  },
  {
    kind: 'combo_changed',
    apply: (p, info) => {
      for (const [id, n] of Object.entries(p)) {
        for (const [k, s] of specsOf(info, n.class_type)) {
          if (Array.isArray(s[0]) && typeof n.inputs[k] === 'string') {
            n.inputs[k] = 'zz_no_such_value';
            return id;
          }
        }
      }
      return undefined;
    },
  },
  {
    kind: 'link_to_missing_node',
    apply: (p) => {
      const entries = Object.entries(p);
      for (const [id, n] of entries.slice(Math.floor(entries.length / 2)).concat(entries)) {
        for (const [k, v] of Object.entries(n.inputs)) {
          if (isLink(v)) {
            n.inputs[k] = ['99999', v[1]];
            return id;
          }
        }
      }
      return undefined;
    },
  },
  {
    kind: 'link_wrong_type',
    apply: (p, info) => {
      for (const [id, n] of Object.entries(p)) {
        for (const [k, s] of specsOf(info, n.class_type)) {
          const v = n.inputs[k];
          if (!isLink(v) || typeof s[0] !== 'string' || s[0] === '*' || s[0].includes(',')) continue;
          for (const [otherId, other] of Object.entries(p)) {
            const outs = info[other.class_type]?.output ?? [];
            const slot = outs.findIndex((t) => typeof t === 'string' && t !== s[0] && t !== '*' && !t.includes(','));
            if (otherId !== id && slot >= 0) {
              n.inputs[k] = [otherId, slot];
              return id;
            }
          }
        }
      }
      return undefined;
    },
  },
];

/**
 * Documented differences between our validator and the mock (which, like ComfyUI 0.3.64, follows Python's
 * behaviour where it is deterministic):
 * - new-style ["COMBO", {options}] values: we check them like newer servers; 0.3.64 and the mock do not;
 * - a node that raises (a link to a missing node, a slot past the outputs) abandons its other links in an order set by
 *   Python's hash seed. The mock follows the inputs declared before the failing one; we follow none. Only nodes that
 *   are reached solely through such a node can differ, and only by their own errors.
 */
function explainedDifference(prompt: Prompt, defs: NodeDefs, ours: string[], theirs: string[]): string | undefined {
  const problems = validateWorkflow(parseWorkflowDocument(JSON.stringify(prompt)), defs);
  const extra = ours.filter((n) => !theirs.includes(n));
  const missing = theirs.filter((n) => !ours.includes(n));
  if (
    missing.length === 0 &&
    extra.length > 0 &&
    problems.filter((p) => p.severity === 'error' && extra.includes(p.nodeId!)).every((p) => p.code === 'value_not_in_list' && p.data?.comboStyle === 'options')
  ) {
    return 'new-style COMBO';
  }
  const raising = problems.some((p) => p.code === 'exception_during_inner_validation' || p.code === 'exception_during_validation');
  if (raising && extra.length === 0 && missing.length > 0 && missing.every((id) => problems.some((p) => p.nodeId === id && p.severity === 'warning'))) {
    return 'python set order';
  }
  return undefined;
}

test('our validator agrees with the mock server on real workflows and their mutations', { skip: NEEDS_SHARED }, (t) => {
  const files = listShared('fixtures/api');
  assert.ok(files.length >= 20, 'expected the real API workflows in ../shared/fixtures/api');
  const disagreements: string[] = [];
  const explained: Record<string, number> = {};
  let compared = 0;
  for (const f of files) {
    const raw = readSharedJson<Prompt | { prompt: Prompt }>('fixtures/api', f);
    const original = ('prompt' in raw && typeof raw.prompt === 'object' ? raw.prompt : raw) as Prompt;
    const { name, info } = bestDump(original);
    const defs = defsOf(name, info);
    const variants: [string, Prompt][] = [['original', original]];
    for (const m of MUTATIONS) {
      const copy = structuredClone(original);
      const id = m.apply(copy, info);
      if (id !== undefined) variants.push([`${m.kind}@${id}`, copy]);
    }
    for (const [label, prompt] of variants) {
      const theirs = mockNodes(prompt, info);
      if (theirs === 'internal_error') continue; // a 500 names no node; nothing to compare
      const ours = ourNodes(prompt, defs);
      compared++;
      if (JSON.stringify(ours) === JSON.stringify(theirs)) continue;
      const why = explainedDifference(prompt, defs, ours, theirs);
      if (why) explained[why] = (explained[why] ?? 0) + 1;
      else disagreements.push(`${f} ${label} (dump ${name}): mock ${JSON.stringify(theirs)} ours ${JSON.stringify(ours)}`);
    }
  }
  t.diagnostic(`compared ${compared} variants; documented differences: ${JSON.stringify(explained)}`);
  assert.ok(compared >= 150, `compared only ${compared} variants`);
  assert.deepEqual(disagreements, []);
  // The documented differences stay rare: if they grow, something else is going on.
  assert.ok((explained['new-style COMBO'] ?? 0) + (explained['python set order'] ?? 0) <= compared / 10, JSON.stringify(explained));
});
