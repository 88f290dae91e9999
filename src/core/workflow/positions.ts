// Offsets → zero-based {line, character} (UTF-16 code units, as editors and LSP count them).
// Built once per text; each lookup is a binary search over line starts.

export interface LinePosition {
  line: number;
  character: number;
}

export interface LineIndex {
  positionAt(offset: number): LinePosition;
  offsetAt(position: LinePosition): number;
  readonly lineCount: number;
}

export function createLineIndex(text: string): LineIndex {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return {
    lineCount: starts.length,
    positionAt(offset: number): LinePosition {
      const o = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: o - starts[lo]! };
    },
    offsetAt({ line, character }: LinePosition): number {
      if (line < 0) return 0;
      if (line >= starts.length) return text.length;
      return Math.min(starts[line]! + Math.max(0, character), line + 1 < starts.length ? starts[line + 1]! : text.length);
    },
  };
}
