// Scanning JSON text without parsing it (size guards, number literals, the format sniff of a text too large to
// parse): the one way those scans step over a string literal. The parsers (fastJson.ts, diff/json.ts) read strings.

/** Index of the closing quote of the string literal whose opening quote is at `quote` (text length if unterminated). */
export function endOfString(text: string, quote: number): number {
  const n = text.length;
  let i = quote + 1;
  for (; i < n; i++) {
    const d = text.charCodeAt(i);
    if (d === 92 /* \ */) i++;
    else if (d === 34 /* " */) break;
  }
  return i;
}
