// The validator the diagnostics controller runs: the core's validateWorkflow for API prompts and /prompt bodies,
// and for UI graphs the core's UI validation (convert to the prompt the frontend would queue, validate it, map
// each problem back onto the widgets_values element or input slot in the UI JSON). JSON syntax errors are left to
// VS Code's own JSON support, which already reports them (twice would be noise).
import { validateWorkflow } from '../../core/workflow/validate';
import { validateUiWorkflow } from '../../core/workflow/ui/validateUi';
import type { ObjectInfo } from '../../core/comfy/types';
import type { EditorProblem, LiveWorkflow, Validator } from './diagnostics';

/**
 * Rewrites problems after validation with what another feature knows (the missing-nodes feature names packs and
 * model folders). Synchronous and fast: it only reads what that feature has already loaded.
 */
export type ProblemEnricher = (entry: LiveWorkflow, problems: EditorProblem[], locale: string) => EditorProblem[];

export function createValidator(enricher: () => ProblemEnricher | undefined = () => undefined): Validator {
  return (entry, definitions, { locale }) => {
    const problems: EditorProblem[] =
      entry.format === 'ui'
        ? validateUiWorkflow(entry.parsed.text, definitions.objectInfo as ObjectInfo, { locale, defs: definitions.defs })
        : validateWorkflow(entry.parsed, definitions.defs, { locale });
    const found = problems.filter((p) => p.code !== 'syntax_error');
    const enrich = enricher();
    return enrich ? enrich(entry, found, locale) : found;
  };
}
