// The missing classes and models of one open workflow, read from its live diagnostics (already enriched) and the
// pack service (full candidates with flags). Pure data for the list, the actions and the install command.
import type * as vscode from 'vscode';
import { documentPackView } from '../../core/packs/document';
import { missingClassOf, type ModelJson } from '../../core/packs/enrich';
import type { PackCandidate } from '../../core/packs/types';
import type { WorkflowDocument } from '../../core/workflow/document';
import type { EditorProblem } from '../language/diagnostics';
import type { PackService } from './packService';
import { isMissingClassProblem } from '../../core/workflow/validate';

export interface MissingClass {
  kind: 'class';
  classType: string;
  candidates: PackCandidate[];
  diagnostic: vscode.Diagnostic;
}

export interface MissingModel {
  kind: 'model';
  model: ModelJson;
  lookalikes: string[];
  diagnostic: vscode.Diagnostic;
}

export type MissingItem = MissingClass | MissingModel;

export function missingItems(
  doc: WorkflowDocument,
  diagnostics: readonly vscode.Diagnostic[],
  problemOf: (d: vscode.Diagnostic) => EditorProblem | undefined,
  packs: PackService,
): MissingItem[] {
  const view = documentPackView(doc);
  const classes = new Map<string, MissingClass>();
  const models = new Map<string, MissingModel>();
  for (const d of diagnostics) {
    const p = problemOf(d);
    if (!p) continue;
    if (isMissingClassProblem(p)) {
      const c = missingClassOf(p, view.classOf);
      if (c && !classes.has(c)) classes.set(c, { kind: 'class', classType: c, candidates: packs.candidates(doc, c), diagnostic: d });
      continue;
    }
    const model = p.data?.model as ModelJson | undefined;
    if (model && typeof model.name === 'string') {
      const key = `${model.directory ?? ''}\u0000${model.name}`;
      const lookalikes = Array.isArray(p.data?.lookalikes) ? (p.data.lookalikes as unknown[]).filter((s): s is string => typeof s === 'string') : [];
      if (!models.has(key)) models.set(key, { kind: 'model', model, lookalikes, diagnostic: d });
    }
  }
  return [...classes.values(), ...models.values()];
}

/** One pack per distinct best candidate, with the classes it would bring. */
export function packsToInstall(items: readonly MissingItem[]): { pack: PackCandidate; classes: string[] }[] {
  const out: { pack: PackCandidate; classes: string[] }[] = [];
  for (const item of items) {
    if (item.kind !== 'class' || item.candidates.length === 0) continue;
    const best = item.candidates[0]!;
    const same = out.find((o) => (o.pack.registryId && o.pack.registryId === best.registryId) || (o.pack.repository && o.pack.repository === best.repository));
    if (same) same.classes.push(item.classType);
    else out.push({ pack: best, classes: [item.classType] });
  }
  return out;
}
