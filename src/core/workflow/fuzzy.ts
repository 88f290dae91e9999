// "Did you mean" ranking for quick fixes: which combo value or input name was probably meant (classes: suggest.ts).
// Model files are the common case (`sd_xl_base_1.0.safetensors` vs `sdxl/sd_xl_base_1.0.safetensors`),
// so a same-basename match outranks any edit distance, and case-only differences rank right after an
// exact match.
import { editDistance } from './suggest';
import { baseName } from '../util/display';

function stem(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(0, i) : name;
}

export interface RankedSuggestion {
  value: string;
  /** Lower is better: 0 case-insensitive equal, 1 same basename, 2 same stem, 3+ edit-distance based. */
  score: number;
  reason: 'case' | 'basename' | 'stem' | 'similar' | 'contains';
}

/**
 * The `limit` candidates closest to `input`, best first; candidates that are not plausibly what was
 * meant are left out, so the result may be empty. Ties keep the candidates' original order.
 */
export function rankSuggestions(input: string, candidates: readonly string[], limit = 3): RankedSuggestion[] {
  const lower = input.toLowerCase();
  const base = baseName(lower);
  const baseStem = stem(base);
  const out: { s: RankedSuggestion; index: number }[] = [];
  // Allow roughly one typo per four characters, at least two, so short names still match.
  const budget = Math.max(2, Math.floor(baseStem.length * 0.4));
  candidates.forEach((candidate, index) => {
    if (typeof candidate !== 'string' || candidate === input) return;
    const c = candidate.toLowerCase();
    let s: RankedSuggestion | undefined;
    if (c === lower) s = { value: candidate, score: 0, reason: 'case' };
    else {
      const cb = baseName(c);
      if (base.length > 0 && cb === base) s = { value: candidate, score: 1, reason: 'basename' };
      else if (baseStem.length > 0 && stem(cb) === baseStem) s = { value: candidate, score: 2, reason: 'stem' };
      else {
        const d = Math.min(editDistance(lower, c, budget), editDistance(baseStem, stem(cb), budget));
        if (d <= budget) s = { value: candidate, score: 3 + d / Math.max(1, baseStem.length), reason: 'similar' };
        else if (baseStem.length >= 3 && stem(cb).includes(baseStem)) {
          s = { value: candidate, score: 4 + (cb.length - baseStem.length) / Math.max(1, cb.length), reason: 'contains' };
        }
      }
    }
    if (s) out.push({ s, index });
  });
  out.sort((a, b) => a.s.score - b.s.score || a.index - b.index);
  return out.slice(0, Math.max(0, limit)).map((x) => x.s);
}
