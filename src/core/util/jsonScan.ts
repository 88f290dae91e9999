// Scanning JSON text without parsing it (size guards, number literals): the one way to step over a string literal.

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
