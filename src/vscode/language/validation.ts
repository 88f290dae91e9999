// The validator the diagnostics controller runs: the core's validateWorkflow for API prompts and /prompt bodies,
// and, for UI graphs, the core's UI validation (conversion + validation + mapping back into the UI JSON) when it is
// available. JSON syntax errors are left to VS Code's own JSON language support, which already reports them.
import { validateWorkflow } from '../../core/workflow/validate';
import type { EditorProblem, Validator } from './diagnostics';

export type UiValidator = (text: string, definitions: { defs: unknown; objectInfo: Record<string, unknown> }, locale: string) => EditorProblem[];

export function createValidator(options: { validateUi?: UiValidator } = {}): Validator {
  return (entry, definitions, { locale }) => {
    let problems: EditorProblem[];
    if (entry.format === 'ui') {
      if (!options.validateUi) return [];
      problems = options.validateUi(entry.parsed.text, definitions, locale);
    } else {
      problems = validateWorkflow(entry.parsed, definitions.defs, { locale });
    }
    return problems.filter((p) => p.code !== 'syntax_error');
  };
}
