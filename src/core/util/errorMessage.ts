// The text to show or log for a caught value. Typed client errors already carry one actionable sentence without
// secrets; anything thrown that is not an Error is stringified rather than dropped.
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
