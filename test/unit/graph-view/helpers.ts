// Reading the renderer's SVG back: a strict little tokenizer (the SVG is ours, so it must be exactly well-formed).
import assert from 'node:assert/strict';

export interface Tag {
  name: string;
  attrs: Map<string, string>;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITY[e]!);

/** Every element's start tag, in order; asserts balance and that text holds no raw markup. */
export function parseSvg(svg: string): Tag[] {
  const tags: Tag[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt < 0 ? svg.length : lt);
    assert.ok(!text.includes('>'), `raw ">" in text near ${JSON.stringify(text.slice(0, 60))}`);
    assert.ok(!/&(?!(amp|lt|gt|quot|#39);)/.test(text), `unescaped & in text ${JSON.stringify(text.slice(0, 60))}`);
    if (lt < 0) break;
    const gt = svg.indexOf('>', lt);
    assert.ok(gt > lt, 'unterminated tag');
    const body = svg.slice(lt + 1, gt);
    if (body.startsWith('/')) {
      assert.equal(stack.pop(), body.slice(1), 'balanced tags');
    } else {
      const selfClosing = body.endsWith('/');
      const inner = selfClosing ? body.slice(0, -1) : body;
      const m = /^([a-zA-Z]+)((?:\s+[a-zA-Z:-]+="[^"<>]*")*)\s*$/.exec(inner);
      assert.ok(m, `well-formed start tag: <${inner.slice(0, 80)}>`);
      const attrs = new Map<string, string>();
      for (const a of m[2]!.matchAll(/([a-zA-Z:-]+)="([^"]*)"/g)) {
        assert.ok(!attrs.has(a[1]!), `duplicate attribute ${a[1]}`);
        attrs.set(a[1]!, decode(a[2]!));
      }
      tags.push({ name: m[1]!, attrs });
      if (!selfClosing) stack.push(m[1]!);
    }
    i = gt + 1;
  }
  assert.deepEqual(stack, [], 'every element closed');
  return tags;
}

export function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
