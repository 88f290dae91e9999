// What activate() returns: the extension's API, used by the tests, the fault suite and the e2e harness.
import type { HostServices } from './host/index';
import type { DiagnosticsController } from './language/diagnostics';

export interface EditorServices extends HostServices {
  diagnostics: DiagnosticsController;
}
