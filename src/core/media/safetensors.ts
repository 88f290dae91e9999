// What a model's safetensors `__metadata__` (GET /view_metadata/{folder}?filename=) says, for the hover on model
// names: base model, resolution, trigger words and the most frequent training tags. The keys come from kohya-ss
// (`ss_*`) and the Stability "modelspec" convention; every value is a string in the file, some hold JSON.
import { escapeMarkdown, markdownCode } from '../util/escape';
import { parsePythonJson } from './embedded';

export interface ModelSummary {
  title?: string;
  architecture?: string;
  baseModel?: string;
  resolution?: string;
  triggerWords: string[];
  /** Most frequent training tags first, with their counts. */
  tags: { tag: string; count: number }[];
  networkModule?: string;
  networkDim?: string;
  networkAlpha?: string;
  trainingImages?: string;
  epochs?: string;
  steps?: string;
  author?: string;
  description?: string;
  /** How many metadata keys the file had. */
  keyCount: number;
}

const TRIGGER_KEYS = ['modelspec.trigger_phrase', 'ss_trigger_words', 'trigger_words', 'trigger_phrase', 'activation_text'];

/**
 * Splits at the commas that are not inside parentheses, as the regex /,(?![^()]*\)/ did (a comma whose next
 * parenthesis is a ")" stays), but in one pass from the right: that regex rescanned the rest of the text at every
 * comma, quadratic in the metadata a model file controls (issue 13, finding 10).
 */
export function splitTriggerWords(text: string): string[] {
  const keep = new Uint8Array(text.length);
  let nextParenIsClose = false;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 41 /* ) */) nextParenIsClose = true;
    else if (c === 40 /* ( */) nextParenIsClose = false;
    else if (c === 44 /* , */ && nextParenIsClose) keep[i] = 1;
  }
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 44 && keep[i] === 0) {
      out.push(text.slice(from, i));
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

export function summarizeModelMetadata(meta: Record<string, unknown>, maxTags = 20): ModelSummary {
  const str = (k: string): string | undefined => {
    const v = meta[k];
    if (v === undefined || v === null) return undefined;
    const s = typeof v === 'string' ? v.trim() : JSON.stringify(v);
    return s && s !== 'None' ? s : undefined;
  };
  const triggerWords = new Set<string>();
  for (const k of TRIGGER_KEYS) {
    const v = str(k);
    if (!v) continue;
    const parsed = v.startsWith('[') ? parsePythonJson(v) : undefined;
    const words = Array.isArray(parsed) ? parsed.map(String) : splitTriggerWords(v);
    for (const w of words) if (w.trim()) triggerWords.add(w.trim());
  }
  return {
    title: str('modelspec.title') ?? str('ss_output_name'),
    architecture: str('modelspec.architecture') ?? str('ss_network_module')?.replace(/^networks\./, ''),
    baseModel: str('ss_base_model_version') ?? str('ss_sd_model_name') ?? str('modelspec.architecture')?.split('/')[0],
    resolution: normalizeResolution(str('modelspec.resolution') ?? str('ss_resolution')),
    triggerWords: [...triggerWords],
    tags: topTags(str('ss_tag_frequency'), maxTags),
    networkModule: str('ss_network_module'),
    networkDim: str('ss_network_dim'),
    networkAlpha: str('ss_network_alpha'),
    trainingImages: str('ss_num_train_images'),
    epochs: str('ss_num_epochs') ?? str('ss_epoch'),
    steps: str('ss_max_train_steps') ?? str('ss_steps'),
    author: str('modelspec.author'),
    description: str('modelspec.description'),
    keyCount: Object.keys(meta).length,
  };
}

/** "(1024, 1024)" / "1024x1024" / "[1024, 768]" → "1024×1024". */
function normalizeResolution(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const m = /(\d+)\D+(\d+)/.exec(v);
  return m ? `${m[1]}×${m[2]}` : v;
}

/** ss_tag_frequency: `{"<dataset dir>": {"tag": count, …}, …}` as a JSON string; counts are summed over dirs. */
function topTags(raw: string | undefined, max: number): { tag: string; count: number }[] {
  if (!raw) return [];
  const parsed = parsePythonJson(raw);
  if (!parsed || typeof parsed !== 'object') return [];
  const totals = new Map<string, number>();
  for (const dir of Object.values(parsed as Record<string, unknown>)) {
    if (!dir || typeof dir !== 'object') continue;
    for (const [tag, count] of Object.entries(dir as Record<string, unknown>)) {
      const t = tag.trim();
      if (t && typeof count === 'number' && Number.isFinite(count)) totals.set(t, (totals.get(t) ?? 0) + count);
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([tag, count]) => ({ tag, count }));
}

/** Markdown for a hover. Every value from the file is escaped: it is data, never markup. */
export function modelSummaryMarkdown(name: string, s: ModelSummary): string {
  const lines = [`**${escapeMarkdown(s.title ?? name)}**`];
  if (s.title && s.title !== name) lines.push(markdownCode(name));
  const rows: [string, string | undefined][] = [
    ['Base model', s.baseModel],
    ['Architecture', s.architecture],
    ['Resolution', s.resolution],
    ['Network', s.networkDim ? `dim ${s.networkDim}${s.networkAlpha ? `, alpha ${s.networkAlpha}` : ''}` : undefined],
    [
      'Training',
      [s.trainingImages && `${s.trainingImages} images`, s.epochs && `${s.epochs} epochs`, s.steps && `${s.steps} steps`].filter(Boolean).join(', ') ||
        undefined,
    ],
    ['Author', s.author],
  ];
  const shown = rows.filter((r): r is [string, string] => !!r[1]);
  if (shown.length) lines.push('', ...shown.map(([k, v]) => `- ${k}: ${escapeMarkdown(v)}`));
  if (s.triggerWords.length) lines.push('', `Trigger words: ${s.triggerWords.map((w) => markdownCode(w)).join(', ')}`);
  if (s.tags.length) lines.push('', `Training tags: ${s.tags.map((t) => `${escapeMarkdown(t.tag)} (${t.count})`).join(', ')}`);
  if (s.description) lines.push('', escapeMarkdown(s.description.slice(0, 500)));
  if (lines.length === 1 || (shown.length === 0 && !s.triggerWords.length && !s.tags.length))
    lines.push('', `_${s.keyCount} metadata key(s), none of them known._`);
  return lines.join('\n');
}
