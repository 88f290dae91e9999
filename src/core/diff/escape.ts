// Text a workflow file controls is printed to terminals and diffs: control characters (ESC, CR, BEL, …) and
// bidi overrides are shown as escapes so a file cannot move the cursor, recolour output or hide text.
// One function so it can be swapped for the shared terminal escaper in src/core/util/ once that exists.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(s: string): string {
  return s.replace(UNSAFE, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
