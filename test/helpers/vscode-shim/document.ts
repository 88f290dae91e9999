// An in-memory TextDocument with VS Code's offset/position semantics (UTF-16 offsets, \n and \r\n line breaks).
import type { Uri } from './base';
import { EndOfLine, Position, Range } from './types';

export interface ContentChange {
  range: Range;
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export class ShimTextDocument {
  version = 1;
  isClosed = false;
  isDirty = false;
  readonly isUntitled: boolean;
  private text: string;
  private lineStarts: number[] = [0];

  constructor(
    readonly uri: Uri,
    public languageId: string,
    text: string,
  ) {
    this.text = text;
    this.isUntitled = uri.scheme === 'untitled';
    this.computeLines();
  }

  get fileName(): string {
    return this.uri.fsPath;
  }
  get lineCount(): number {
    return this.lineStarts.length;
  }
  get eol(): EndOfLine {
    return this.text.includes('\r\n') ? EndOfLine.CRLF : EndOfLine.LF;
  }

  private computeLines(): void {
    const starts = [0];
    const t = this.text;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (t.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  offsetAt(position: Position): number {
    const line = Math.min(Math.max(position.line, 0), this.lineStarts.length - 1);
    const start = this.lineStarts[line]!;
    const end = this.lineEndOffset(line);
    return Math.min(start + Math.max(position.character, 0), end);
  }

  positionAt(offset: number): Position {
    const o = Math.min(Math.max(0, Math.floor(offset)), this.text.length);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    const character = Math.min(o, this.lineEndOffset(lo)) - this.lineStarts[lo]!;
    return new Position(lo, character);
  }

  /** Offset of the end of `line`, before its line break. */
  private lineEndOffset(line: number): number {
    const next = this.lineStarts[line + 1];
    if (next === undefined) return this.text.length;
    let end = next;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineAt(lineOrPosition: number | Position): {
    lineNumber: number;
    text: string;
    range: Range;
    isEmptyOrWhitespace: boolean;
    firstNonWhitespaceCharacterIndex: number;
  } {
    const line = typeof lineOrPosition === 'number' ? lineOrPosition : lineOrPosition.line;
    if (line < 0 || line >= this.lineStarts.length) throw new Error(`Illegal line ${line}`);
    const start = this.lineStarts[line]!;
    const text = this.text.slice(start, this.lineEndOffset(line));
    return {
      lineNumber: line,
      text,
      range: new Range(line, 0, line, text.length),
      isEmptyOrWhitespace: text.trim() === '',
      firstNonWhitespaceCharacterIndex: text.length - text.trimStart().length,
    };
  }

  getWordRangeAtPosition(position: Position, regex: RegExp = /[\w$-]+/g): Range | undefined {
    const line = this.lineAt(position.line).text;
    const re = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (m.index <= position.character && m.index + m[0].length >= position.character && m[0].length > 0) {
        return new Range(position.line, m.index, position.line, m.index + m[0].length);
      }
      if (m[0].length === 0) re.lastIndex++;
    }
    return undefined;
  }

  validateRange(range: Range): Range {
    return new Range(this.validatePosition(range.start), this.validatePosition(range.end));
  }
  validatePosition(position: Position): Position {
    return this.positionAt(this.offsetAt(position));
  }

  save(): Promise<boolean> {
    this.isDirty = false;
    return Promise.resolve(true);
  }

  /** Applies edits (in the coordinates of the current text) and returns the content changes VS Code would report. */
  applyEdits(edits: { range: Range; newText: string }[]): ContentChange[] {
    const sorted = edits
      .map((e) => ({ start: this.offsetAt(e.range.start), end: this.offsetAt(e.range.end), range: e.range, text: e.newText }))
      .sort((a, b) => b.start - a.start);
    const changes: ContentChange[] = [];
    for (const e of sorted) {
      changes.push({ range: e.range, rangeOffset: e.start, rangeLength: e.end - e.start, text: e.text });
      this.text = this.text.slice(0, e.start) + e.text + this.text.slice(e.end);
    }
    this.computeLines();
    this.version++;
    this.isDirty = true;
    return changes;
  }

  /** Replaces the whole text (like a reload from disk). */
  setText(text: string): ContentChange[] {
    const end = this.positionAt(this.text.length);
    return this.applyEdits([{ range: new Range(new Position(0, 0), end), newText: text }]);
  }
}
