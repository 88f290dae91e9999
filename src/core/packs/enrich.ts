// Turns validation problems into answers: a missing class names the pack it comes from, a missing model names its
// folder and download URL (or the installed file it probably means). Validation itself stays synchronous and
// unchanged; this runs on its output with whatever the resolver has loaded, and never waits for the network.
import { formatMessage, type Locale, type PackMention } from '../workflow/messages';
import { isRecord } from '../util/guards';
import { folderOfInput, looksLikeModelFile, modelLookalikes, modelRecordFor } from './models';
import { resolveClassSync, type PackSources, type Resolution } from './resolver';
import { githubSlug, type ModelRef, type PackCandidate, type PackSource } from './types';
import { isMissingClassProblem } from '../workflow/validate';

/** The JSON shape of a pack in problems and CLI output (`data.packs`). */
export interface PackJson {
  title: string;
  repository?: string;
  registryId?: string;
  version?: string;
  source: PackSource;
}

/** `data.model` of a missing-model problem. */
export interface ModelJson {
  name: string;
  directory?: string;
  url?: string;
}

export interface EnrichContext {
  sources: PackSources;
  /** Registry answers gathered asynchronously (used before the synchronous lookup when present). */
  resolution?: Resolution;
  /** The class of a problem's node (for model folders and problems that carry no class). */
  classOf?: (nodeId: string) => string | undefined;
  locale: Locale;
}

interface ProblemLike {
  code: string;
  message: string;
  nodeId?: string;
  inputName?: string;
  data?: Record<string, unknown>;
}

export function packJson(p: PackCandidate): PackJson {
  return {
    title: p.title,
    ...(p.repository ? { repository: p.repository } : {}),
    ...(p.registryId ? { registryId: p.registryId } : {}),
    ...(p.version ? { version: p.version } : {}),
    source: p.source,
  };
}

export function packMention(p: PackCandidate): PackMention {
  const slug = githubSlug(p.repository) ?? p.auxId;
  const where = slug ?? (p.registryId && p.registryId !== p.title ? p.registryId : undefined);
  return { title: p.title, where, version: p.version, saved: p.savedVersion === true, ...(p.source !== 'workflow' ? { evidence: p.source } : {}) };
}

/** The class a missing_node_type problem is about. */
export function missingClassOf(p: ProblemLike, classOf?: (nodeId: string) => string | undefined): string | undefined {
  const c = p.data?.classType;
  if (typeof c === 'string') return c;
  return p.nodeId !== undefined ? classOf?.(p.nodeId) : undefined;
}

/** Candidates for a class: the asynchronous resolution when it has the class, else what is loaded now. */
export function candidatesFor(classType: string, ctx: Pick<EnrichContext, 'sources' | 'resolution'>): PackCandidate[] {
  return ctx.resolution?.classes.get(classType)?.candidates ?? resolveClassSync(classType, ctx.sources);
}

/** A missing model named by a value_not_in_list problem, or undefined when the value is not a model file. */
export function missingModelOf(
  p: ProblemLike,
  models: readonly ModelRef[],
  classOf?: (nodeId: string) => string | undefined,
): (ModelJson & { suggestions: string[] }) | undefined {
  if (p.code !== 'value_not_in_list' || !p.data) return undefined;
  const value = p.data.value;
  if (!looksLikeModelFile(value)) return undefined;
  const record = modelRecordFor(value, models);
  const classType = p.nodeId !== undefined ? classOf?.(p.nodeId) : undefined;
  const directory = record?.directory ?? (p.inputName ? folderOfInput(classType, p.inputName) : undefined);
  if (!directory && !record) return undefined;
  const values = Array.isArray(p.data.values) ? p.data.values : [];
  return { name: value, ...(directory ? { directory } : {}), ...(record?.url ? { url: record.url } : {}), suggestions: modelLookalikes(value, values) };
}

/** Returns the problems with pack and model answers in their message and `data` (others unchanged). */
export function enrichProblems<P extends ProblemLike>(problems: readonly P[], ctx: EnrichContext): P[] {
  const models = ctx.sources.workflow?.models ?? [];
  return problems.map((p) => {
    if (isMissingClassProblem(p)) {
      const classType = missingClassOf(p, ctx.classOf);
      if (!classType) return p;
      const candidates = candidatesFor(classType, ctx);
      if (candidates.length === 0) return p;
      return {
        ...p,
        message: formatMessage(ctx.locale, 'missingPack', { classType, packs: candidates.map(packMention) }),
        data: { ...(isRecord(p.data) ? p.data : {}), classType, packs: candidates.map(packJson) },
      };
    }
    const model = missingModelOf(p, models, ctx.classOf);
    if (!model) return p;
    const { suggestions, ...modelJson } = model;
    const message =
      suggestions.length > 0
        ? formatMessage(ctx.locale, 'missingModelDidYouMean', { name: model.name, directory: model.directory, suggestions })
        : formatMessage(ctx.locale, 'missingModel', { name: model.name, directory: model.directory, url: model.url });
    return { ...p, message, data: { ...p.data, model: modelJson, ...(suggestions.length ? { lookalikes: suggestions } : {}) } };
  });
}
