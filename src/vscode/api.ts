// What activate() returns: the extension's API, used by the tests, the fault suite and the e2e harness.
import type { HostServices } from './host/index';
import type { DiagnosticsController } from './language/diagnostics';
import type { CompareFeatures } from './compare/index';

export interface EditorServices extends HostServices {
  diagnostics: DiagnosticsController;
  compare: CompareFeatures;
}
