// Value classes of the `vscode` API (positions, ranges, diagnostics, edits, …), re-implemented with the same
// shapes and semantics the adapters rely on. Only what the product uses is here; extend as needed.

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {
    if (line < 0 || character < 0) throw new Error(`Illegal position ${line}:${character}`);
  }
  isBefore(other: Position): boolean {
    return this.compareTo(other) < 0;
  }
  isBeforeOrEqual(other: Position): boolean {
    return this.compareTo(other) <= 0;
  }
  isAfter(other: Position): boolean {
    return this.compareTo(other) > 0;
  }
  isAfterOrEqual(other: Position): boolean {
    return this.compareTo(other) >= 0;
  }
  isEqual(other: Position): boolean {
    return this.compareTo(other) === 0;
  }
  compareTo(other: Position): number {
    return this.line === other.line ? this.character - other.character : this.line - other.line;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const s = typeof a === 'number' ? new Position(a, b as number) : a;
    const e = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    [this.start, this.end] = s.isAfter(e) ? [e, s] : [s, e];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  get isSingleLine(): boolean {
    return this.start.line === this.end.line;
  }
  contains(x: Position | Range): boolean {
    if (x instanceof Range) return this.contains(x.start) && this.contains(x.end);
    return x.isAfterOrEqual(this.start) && x.isBeforeOrEqual(this.end);
  }
  intersection(other: Range): Range | undefined {
    const start = this.start.isAfter(other.start) ? this.start : other.start;
    const end = this.end.isBefore(other.end) ? this.end : other.end;
    return start.isAfter(end) ? undefined : new Range(start, end);
  }
  isEqual(other: Range): boolean {
    return this.start.isEqual(other.start) && this.end.isEqual(other.end);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export class Location {
  constructor(
    readonly uri: unknown,
    readonly range: Range,
  ) {}
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}
export enum DiagnosticTag {
  Unnecessary = 1,
  Deprecated = 2,
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: unknown };
  relatedInformation?: DiagnosticRelatedInformation[];
  tags?: DiagnosticTag[];
  constructor(
    public range: Range,
    public message: string,
    public severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export enum CompletionItemKind {
  Text = 0,
  Method = 1,
  Function = 2,
  Constructor = 3,
  Field = 4,
  Variable = 5,
  Class = 6,
  Interface = 7,
  Module = 8,
  Property = 9,
  Unit = 10,
  Value = 11,
  Enum = 12,
  Keyword = 13,
  Snippet = 14,
  Color = 15,
  File = 16,
  Reference = 17,
  Folder = 18,
  EnumMember = 19,
  Constant = 20,
  Struct = 21,
  Event = 22,
  Operator = 23,
  TypeParameter = 24,
  User = 25,
  Issue = 26,
}

export class SnippetString {
  constructor(public value = '') {}
  appendText(text: string): this {
    this.value += text.replace(/[$}\\]/g, '\\$&');
    return this;
  }
  appendPlaceholder(text: string, index = 1): this {
    this.value += `\${${index}:${text}}`;
    return this;
  }
  appendTabstop(index = 0): this {
    this.value += `$${index}`;
    return this;
  }
}

export class MarkdownString {
  isTrusted?: boolean | { enabledCommands: string[] };
  supportThemeIcons?: boolean;
  supportHtml?: boolean;
  constructor(
    public value = '',
    supportThemeIcons = false,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class CompletionItem {
  kind?: CompletionItemKind;
  detail?: string;
  documentation?: string | MarkdownString;
  sortText?: string;
  filterText?: string;
  preselect?: boolean;
  insertText?: string | SnippetString;
  range?: Range | { inserting: Range; replacing: Range };
  commitCharacters?: string[];
  command?: unknown;
  tags?: number[];
  constructor(
    public label: string | { label: string; detail?: string; description?: string },
    kind?: CompletionItemKind,
  ) {
    this.kind = kind;
  }
}

export class CompletionList {
  constructor(
    public items: CompletionItem[] = [],
    public isIncomplete = false,
  ) {}
}

export enum CompletionTriggerKind {
  Invoke = 0,
  TriggerCharacter = 1,
  TriggerForIncompleteCompletions = 2,
}

export class Hover {
  contents: (MarkdownString | string)[];
  constructor(
    contents: MarkdownString | string | (MarkdownString | string)[],
    public range?: Range,
  ) {
    this.contents = Array.isArray(contents) ? contents : [contents];
  }
}

export class TextEdit {
  constructor(
    public range: Range,
    public newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
  static insert(position: Position, newText: string): TextEdit {
    return new TextEdit(new Range(position, position), newText);
  }
  static delete(range: Range): TextEdit {
    return new TextEdit(range, '');
  }
}

interface UriLike {
  toString(): string;
}

export class WorkspaceEdit {
  private readonly edits = new Map<string, { uri: UriLike; edits: TextEdit[] }>();
  private entry(uri: UriLike): TextEdit[] {
    const key = uri.toString();
    let e = this.edits.get(key);
    if (!e) this.edits.set(key, (e = { uri, edits: [] }));
    return e.edits;
  }
  replace(uri: UriLike, range: Range, newText: string): void {
    this.entry(uri).push(new TextEdit(range, newText));
  }
  insert(uri: UriLike, position: Position, newText: string): void {
    this.entry(uri).push(TextEdit.insert(position, newText));
  }
  delete(uri: UriLike, range: Range): void {
    this.entry(uri).push(TextEdit.delete(range));
  }
  set(uri: UriLike, edits: TextEdit[]): void {
    this.edits.set(uri.toString(), { uri, edits: [...edits] });
  }
  get(uri: UriLike): TextEdit[] {
    return this.edits.get(uri.toString())?.edits ?? [];
  }
  has(uri: UriLike): boolean {
    return this.edits.has(uri.toString());
  }
  entries(): [UriLike, TextEdit[]][] {
    return [...this.edits.values()].map((e) => [e.uri, e.edits]);
  }
  get size(): number {
    return this.edits.size;
  }
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export enum CodeActionTriggerKind {
  Invoke = 1,
  Automatic = 2,
}

export class CodeAction {
  diagnostics?: Diagnostic[];
  edit?: WorkspaceEdit;
  command?: { command: string; title: string; arguments?: unknown[] };
  isPreferred?: boolean;
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export class CodeLens {
  constructor(
    public range: Range,
    public command?: { command: string; title: string; tooltip?: string; arguments?: unknown[] },
  ) {}
  get isResolved(): boolean {
    return !!this.command;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export enum LogLevel {
  Off = 0,
  Trace = 1,
  Debug = 2,
  Info = 3,
  Warning = 4,
  Error = 5,
}
export enum EndOfLine {
  LF = 1,
  CRLF = 2,
}
export enum ExtensionMode {
  Production = 1,
  Development = 2,
  Test = 3,
}
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
  Three = 3,
}
export enum TextDocumentChangeReason {
  Undo = 1,
  Redo = 2,
}
export enum TextEditorRevealType {
  Default = 0,
  InCenter = 1,
  InCenterIfOutsideViewport = 2,
  AtTop = 3,
}

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  resourceUri?: unknown;
  label?: string | { label: string };
  collapsibleState?: TreeItemCollapsibleState;
  constructor(labelOrUri: string | { label: string } | UriLike, collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {
    if (typeof labelOrUri === 'string' || 'label' in (labelOrUri as object)) this.label = labelOrUri as string;
    else this.resourceUri = labelOrUri;
    this.collapsibleState = collapsibleState;
  }
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

export class RelativePattern {
  readonly baseUri: unknown;
  readonly base: string;
  constructor(
    base: string | { uri: { fsPath: string } } | { fsPath: string },
    readonly pattern: string,
  ) {
    if (typeof base === 'string') this.base = base;
    else if ('uri' in base) this.base = base.uri.fsPath;
    else this.base = base.fsPath;
    this.baseUri = base;
  }
}

export enum CompletionItemTag {
  Deprecated = 1,
}

export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}
