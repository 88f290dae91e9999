// What Python's int() and float() accept from a string, decided by a single left-to-right scan. The regular
// expressions this replaces backtracked on long digit runs that end badly ("111…1x": 50 KB took seconds), and the
// text comes from the workflow file, so it must be linear in its length (issue 13, finding 2).

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  // str.strip() whitespace for the characters a JSON string can plausibly hold here.
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Digits with single underscores between them (PEP 515), from `i`; returns the end, or -1 when malformed/empty. */
function digitRun(s: string, i: number): number {
  if (!isDigit(s.charCodeAt(i))) return -1;
  i++;
  for (;;) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) i++;
    else if (c === 95 /* _ */ && isDigit(s.charCodeAt(i + 1))) i += 2;
    else return i;
  }
}

function trimBounds(s: string): [number, number] {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return [a, b];
}

/** True when Python's `int(s)` accepts the string (base 10). */
export function isPythonInt(s: string): boolean {
  const [start, end] = trimBounds(s);
  let i = start;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  const j = digitRun(s, i);
  return j !== -1 && j === end;
}

/** True when Python's `float(s)` accepts the string: decimal with optional exponent, or inf/infinity/nan. */
export function isPythonFloat(s: string): boolean {
  const [start, end] = trimBounds(s);
  let i = start;
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) i++;
  const word = s.slice(i, end).toLowerCase();
  if (word === 'inf' || word === 'infinity' || word === 'nan') return true;
  let digits = false;
  const a = digitRun(s, i);
  if (a !== -1) {
    digits = true;
    i = a;
  }
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    const b = digitRun(s, i);
    if (b !== -1) {
      digits = true;
      i = b;
    }
  }
  if (!digits) return false;
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const d = digitRun(s, i);
    if (d === -1) return false;
    i = d;
  }
  return i === end;
}
