// THE Markdown and terminal escapers (issue 13, finding 14/15). Names, ids, tooltips and server answers are data a
// file or server controls: in Markdown (hovers, completion docs, Server Info, status bar tooltips) they must never
// become links, images, headings or HTML, and in a terminal (the CLI) they must never become control sequences.
// Every caller writing Markdown or terminal text goes through these. Other targets have their own escaper, one
// each: SVG/XML (`escapeXml`, core/graph-view/svgTree.ts) and snippet syntax (`escapeSnippet`, workflow/inputValues.ts).

/**
 * Punctuation that can make links, images, HTML, entities, emphasis, headings or table cells (CommonMark lets any
 * ASCII punctuation be backslash-escaped). List markers (`-`, `+`, `1.`) are left alone: text is flattened to one
 * line, and a list item cannot carry anything harmful.
 */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()<>#|~!&]/g;
/** Line breaks and other control characters: a new line can start a heading, a list or end a paragraph. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text shown literally in Markdown, on one line. */
export function escapeMarkdown(text: string): string {
  return text.replace(CONTROL, ' ').replace(MARKDOWN_SPECIAL, '\\$&');
}

/**
 * A Markdown code span showing `text` literally on one line, whatever it holds: the fence is one backtick longer
 * than the longest run of backticks inside (a fixed ``…`` was closed by a double backtick in a class name), padded
 * with spaces when the text starts or ends with a backtick.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(CONTROL, ' ');
  let longest = 0;
  let run = 0;
  for (let i = 0; i < flat.length; i++) {
    if (flat.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Terminal-hostile characters: C0/C1 controls (ESC, BEL, CR…), DEL, and bidirectional overrides. */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe to print to a terminal: control characters become visible escapes (`\x1b`, `\u202e`). */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** At most `max` characters: longer text keeps its start and says how long it was. */
export function truncateText(text: string, max = 200): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}… (${text.length.toLocaleString('en-US')} characters)`;
}
