// The frontend's Comfy.DynamicPrompts behaviour: a STRING widget whose spec has `dynamicPrompts: true` is sent
// with C-style comments removed and every `{a|b|c}` group replaced by one option picked at random (nested
// groups are resolved inside the picked option; `\{`, `\}`, `\|` stand for the literal characters).

const COMMENTS = /\/\*[\s\S]*?\*\/|\/\/.*/g;

/** True when resolving would change the text (lets callers keep the saved value when nothing is dynamic). */
export function hasDynamicSyntax(text: string): boolean {
  return /[{}\\]|\/\/|\/\*/.test(text);
}

export function processDynamicPrompt(input: string, random: () => number = Math.random): string {
  const text = input.replace(COMMENTS, '');
  let i = 0;
  let out = '';
  const escape = (): string => `\\${text[i++] ?? ''}`;
  const choice = (): string => {
    const options: string[] = [];
    let current = '';
    let depth = 0;
    while (i < text.length) {
      const c = text[i++]!;
      if (c === '\\') {
        current += escape();
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === '|' && depth === 0) {
        options.push(current);
        current = '';
        continue;
      }
      current += c;
    }
    options.push(current);
    const picked = options[Math.min(options.length - 1, Math.floor(random() * options.length))]!;
    return processDynamicPrompt(picked, random);
  };
  while (i < text.length) {
    const c = text[i++]!;
    if (c === '\\') out += escape();
    else if (c === '{') out += choice();
    else out += c;
  }
  return out.replace(/\\([{}|])/g, '$1');
}
