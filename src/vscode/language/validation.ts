// The validator the diagnostics controller runs: the core's validateWorkflow for API prompts and /prompt bodies,
// and for UI graphs the core's UI validation (convert to the prompt the frontend would queue, validate it, map
// each problem back onto the widgets_values element or input slot in the UI JSON). JSON syntax errors are left to
// VS Code's own JSON support, which already reports them (twice would be noise).
import { validateWorkflow } from '../../core/workflow/validate';
import { validateUiWorkflow } from '../../core/workflow/ui/validateUi';
import type { ObjectInfo } from '../../core/comfy/types';
import type { EditorProblem, Validator } from './diagnostics';

export function createValidator(): Validator {
  return (entry, definitions, { locale }) => {
    const { serverVersion, nodeReplacements } = definitions;
    const problems: EditorProblem[] =
      entry.format === 'ui'
        ? validateUiWorkflow(entry.parsed.text, definitions.objectInfo as ObjectInfo, { locale, defs: definitions.defs, serverVersion, nodeReplacements })
        : validateWorkflow(entry.parsed, definitions.defs, { locale, serverVersion, nodeReplacements });
    return problems.filter((p) => p.code !== 'syntax_error');
  };
}
