// A fast path for jsonc-parser's parseTree on strict JSON, which is what workflow files nearly always are.
// jsonc-parser's general scanner (comments, error recovery, callbacks) costs ~10× JSON.parse; this tight
// parser builds the *same* tree (same node shapes, offsets, lengths, colonOffset, parents) in a fraction of that.
// At the first thing it does not handle (a comment, a trailing comma, any syntax error, deep nesting) it gives up
// and returns undefined, and the caller falls back to jsonc-parser, which then reports the errors.
import type { Node as JsonNode } from 'jsonc-parser';

type MutableNode = { -readonly [K in keyof JsonNode]: JsonNode[K] } & { children?: MutableNode[]; parent?: MutableNode };

const MAX_DEPTH = 2000;

class GiveUp extends Error {}
const GIVE_UP = new GiveUp();

/** parseTree(text) for strict JSON; undefined when the text is anything else (then use jsonc-parser). */
export function parseStrictJsonTree(text: string): JsonNode | undefined {
  const p = new Parser(text);
  try {
    p.skipWs();
    if (p.pos >= text.length) return undefined; // empty content: let jsonc-parser decide
    const root = p.value(undefined, 0);
    p.skipWs();
    if (p.pos !== text.length) return undefined;
    delete root.parent;
    return root as JsonNode;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  skipWs(): void {
    const t = this.text;
    let i = this.pos;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.pos = i;
  }

  value(parent: MutableNode | undefined, depth: number): MutableNode {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const t = this.text;
    const start = this.pos;
    const c = t.charCodeAt(start);
    switch (c) {
      case 123 /* { */:
        return this.object(parent, depth);
      case 91 /* [ */:
        return this.array(parent, depth);
      case 34 /* " */: {
        const value = this.string();
        return { type: 'string', offset: start, length: this.pos - start, parent, value } as MutableNode;
      }
      case 116 /* t */:
        if (t.startsWith('true', start)) {
          this.pos += 4;
          return { type: 'boolean', offset: start, length: 4, parent, value: true } as MutableNode;
        }
        throw GIVE_UP;
      case 102 /* f */:
        if (t.startsWith('false', start)) {
          this.pos += 5;
          return { type: 'boolean', offset: start, length: 5, parent, value: false } as MutableNode;
        }
        throw GIVE_UP;
      case 110 /* n */:
        if (t.startsWith('null', start)) {
          this.pos += 4;
          return { type: 'null', offset: start, length: 4, parent, value: null } as MutableNode;
        }
        throw GIVE_UP;
      default:
        if (c === 45 || (c >= 48 && c <= 57)) {
          const value = this.number();
          return { type: 'number', offset: start, length: this.pos - start, parent, value } as MutableNode;
        }
        throw GIVE_UP;
    }
  }

  object(parent: MutableNode | undefined, depth: number): MutableNode {
    const t = this.text;
    const node = { type: 'object', offset: this.pos, length: -1, parent, children: [] as MutableNode[] } as MutableNode;
    this.pos++;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 125 /* } */) {
      this.pos++;
      node.length = this.pos - node.offset;
      return node;
    }
    for (;;) {
      if (t.charCodeAt(this.pos) !== 34) throw GIVE_UP;
      const keyStart = this.pos;
      const name = this.string();
      const prop = { type: 'property', offset: keyStart, length: -1, parent: node, children: [] as MutableNode[] } as MutableNode;
      prop.children!.push({ type: 'string', value: name, offset: keyStart, length: this.pos - keyStart, parent: prop } as MutableNode);
      node.children!.push(prop);
      this.skipWs();
      if (t.charCodeAt(this.pos) !== 58 /* : */) throw GIVE_UP;
      prop.colonOffset = this.pos;
      this.pos++;
      this.skipWs();
      const v = this.value(prop, depth + 1);
      prop.children!.push(v);
      prop.length = this.pos - keyStart;
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 44 /* , */) {
        this.pos++;
        this.skipWs();
        continue;
      }
      if (c === 125 /* } */) {
        this.pos++;
        node.length = this.pos - node.offset;
        return node;
      }
      throw GIVE_UP;
    }
  }

  array(parent: MutableNode | undefined, depth: number): MutableNode {
    const t = this.text;
    const node = { type: 'array', offset: this.pos, length: -1, parent, children: [] as MutableNode[] } as MutableNode;
    this.pos++;
    this.skipWs();
    if (t.charCodeAt(this.pos) === 93 /* ] */) {
      this.pos++;
      node.length = this.pos - node.offset;
      return node;
    }
    for (;;) {
      node.children!.push(this.value(node, depth + 1));
      this.skipWs();
      const c = t.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.skipWs();
        continue;
      }
      if (c === 93) {
        this.pos++;
        node.length = this.pos - node.offset;
        return node;
      }
      throw GIVE_UP;
    }
  }

  /** A string token at `pos` (the opening quote); returns its value and leaves `pos` after the closing quote. */
  string(): string {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 32 || Number.isNaN(c)) throw GIVE_UP; // control character or end of text
      i++;
    }
    this.pos = i + 1;
    if (!escaped) return t.slice(start + 1, i);
    try {
      return JSON.parse(t.slice(start, i + 1)) as string;
    } catch {
      throw GIVE_UP;
    }
  }

  number(): number {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t.charCodeAt(i) === 45) i++;
    const first = t.charCodeAt(i);
    if (first === 48) i++;
    else if (first >= 49 && first <= 57) while (isDigit(t.charCodeAt(i))) i++;
    else throw GIVE_UP;
    if (t.charCodeAt(i) === 46 /* . */) {
      i++;
      if (!isDigit(t.charCodeAt(i))) throw GIVE_UP;
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const s = t.charCodeAt(i);
      if (s === 43 || s === 45) i++;
      if (!isDigit(t.charCodeAt(i))) throw GIVE_UP;
      while (isDigit(t.charCodeAt(i))) i++;
    }
    this.pos = i;
    return Number(t.slice(start, i));
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
