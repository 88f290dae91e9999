// `comfyui-workflow requirements [--object-info <file|url>] [--node-map FILE|URL] [--registry] [--commands] FILE...`
// What workflows need: the custom node packs (with the versions they were saved with) and the model files (with
// their folders and download URLs), from the workflows' own records, node maps, ComfyUI-Manager and the registry.
// With --object-info only what that server lacks is listed as a pack requirement; without it every non-core
// class with a known pack. Output: text, JSON (--format json), or comfy-cli commands (--commands) for a CI job
// or a Dockerfile. Exit code: 0 listed, 1 some class has no known pack, 2 usage error or unreadable input.
import { readFile } from 'node:fs/promises';
import { parseWorkflowDocument } from '../core/workflow/document';
import { modelDownloadCommand, nodeInstallCommand } from '../core/packs/commands';
import { documentPackView } from '../core/packs/document';
import { enrichProblems, packJson, type PackJson } from '../core/packs/enrich';
import { mergeCandidates, resolveClasses, type PackSources } from '../core/packs/resolver';
import type { ModelRef, PackCandidate } from '../core/packs/types';
import { describeFsError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, loadDefinitions, parseCommand, UsageError, type LoadedDefinitions } from './options';
import { loadManagerMap, loadPackSources, PACK_OPTIONS, PACK_USAGE, packOptions } from './packs';
import { escapeTerminal as terminalText } from '../core/util/escape';
import { defaultIo, validateProblems, type Io } from './validate';

export const REQUIREMENTS_USAGE = `Usage: comfyui-workflow requirements [--object-info <file|http-url>] [--node-map FILE|URL] [--registry] [--commands] [--format text|json] <workflow.json>...

Lists what workflows need: custom node packs (registry id, repository, the version the workflow was saved with,
where the answer came from) and model files (folder under models/, download URL).
--object-info   only list packs for classes this server lacks (and model files it lacks, marked "missing")
--commands      print comfy-cli commands instead (comfy node install …, comfy model download …)
${PACK_USAGE}
Exit code: 0 listed, 1 some class has no known pack, 2 usage error or unreadable input.`;

export interface RequiredPack extends PackJson {
  classes: string[];
}

export interface RequiredModel {
  name: string;
  directory?: string;
  url?: string;
  /** Only with --object-info: the server lacks it. */
  missing?: boolean;
}

export interface Requirements {
  files: string[];
  packs: RequiredPack[];
  /** Classes no source knows a pack for (only reported with --object-info, or when the workflow records nothing). */
  unresolved: string[];
  models: RequiredModel[];
}

export async function runRequirements(argv: string[], io: Io = defaultIo): Promise<number> {
  const { common, values, positionals } = parseCommand(argv, { ...PACK_OPTIONS, commands: { type: 'boolean', default: false } });
  if (common.help) {
    io.stdout(`${REQUIREMENTS_USAGE}\n`);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('No workflow file given: pass one or more workflow JSON files after the options.');
  const opts = packOptions(values);
  const loaded = common.objectInfo ? await loadDefinitions(common.objectInfo, common.timeoutMs) : undefined;
  const sources = await loadPackSources(opts, common.timeoutMs);
  if (loaded) {
    const manager = await loadManagerMap(common.objectInfo, common.timeoutMs, io.stderr);
    if (manager) sources.manager = manager;
  }
  const texts: { file: string; text: string }[] = [];
  for (const file of positionals) {
    try {
      texts.push({ file, text: await readFile(file, 'utf8') });
    } catch (e) {
      io.stderr(`Cannot read workflow file ${file}: ${describeFsError(e)}.\n`);
      return EXIT_USAGE;
    }
  }
  const req = await collectRequirements(texts, loaded, sources, common.locale, io.stderr);
  if (values.commands === true)
    io.stdout(
      commandLines(req)
        .map((l) => `${l}\n`)
        .join(''),
    );
  else if (common.format === 'json') io.stdout(`${JSON.stringify(req, null, 2)}\n`);
  else io.stdout(textReport(req));
  return req.unresolved.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** Gathers the packs and models of several workflows (deduplicated). */
export async function collectRequirements(
  texts: readonly { file: string; text: string }[],
  loaded: LoadedDefinitions | undefined,
  sources: PackSources,
  locale: 'en' | 'zh-cn',
  warn: (s: string) => void = () => undefined,
): Promise<Requirements> {
  const packs: { pack: PackCandidate; classes: Set<string> }[] = [];
  const unresolved = new Set<string>();
  const models = new Map<string, RequiredModel>();
  const addModel = (m: ModelRef, missing: boolean | undefined): void => {
    const key = `${m.directory ?? ''}\u0000${m.name}`;
    const prev = models.get(key);
    if (prev) {
      prev.url ??= m.url;
      if (missing) prev.missing = true;
      return;
    }
    models.set(key, {
      name: m.name,
      ...(m.directory ? { directory: m.directory } : {}),
      ...(m.url ? { url: m.url } : {}),
      ...(missing !== undefined ? { missing } : {}),
    });
  };
  for (const { text } of texts) {
    const doc = parseWorkflowDocument(text);
    const view = documentPackView(doc);
    const fileSources: PackSources = { ...sources, workflow: view.info };
    const classes = [...view.classes].filter((c) => !view.info.coreClasses.has(c) && (!loaded || !loaded.defs.has(c)));
    const resolution = await resolveClasses(classes, fileSources);
    if (resolution.registryError) warn(`${resolution.registryError}\n`);
    for (const c of classes) {
      const best = resolution.classes.get(c)?.candidates[0];
      if (!best) {
        if (loaded) unresolved.add(c);
        continue;
      }
      const same = packs.find((p) => mergeCandidates([p.pack, best]).length === 1);
      if (same) {
        same.pack = mergeCandidates([same.pack, best])[0]!;
        same.classes.add(c);
      } else packs.push({ pack: best, classes: new Set([c]) });
    }
    const missingNames = new Set<string>();
    if (loaded) {
      const { problems } = validateProblems(text, loaded, locale, undefined, (_d, ps) =>
        enrichProblems(ps, { sources: fileSources, classOf: view.classOf, locale }),
      );
      for (const p of problems) {
        const m = p.data?.model as ModelRef | undefined;
        if (m) {
          missingNames.add(m.name);
          addModel(m, true);
        }
      }
    }
    for (const m of view.info.models) addModel(m, loaded ? missingNames.has(m.name) : undefined);
  }
  return {
    files: texts.map((t) => t.file),
    packs: packs.map((p) => ({ ...packJson(p.pack), classes: [...p.classes].sort() })),
    unresolved: [...unresolved].sort(),
    models: [...models.values()],
  };
}

export function textReport(r: Requirements): string {
  const lines: string[] = [];
  lines.push(r.packs.length ? 'Packs:' : 'Packs: none');
  for (const p of r.packs) {
    const id = p.registryId ?? p.repository ?? p.title;
    const where = p.repository && p.repository !== id ? `  ${p.repository}` : '';
    lines.push(`  ${id}${p.version ? `@${p.version}` : ''}  ${p.title}${where}  (from ${sourceName(p.source)}; ${p.classes.join(', ')})`);
  }
  if (r.unresolved.length) lines.push(`No pack known for: ${r.unresolved.join(', ')}`);
  lines.push(r.models.length ? 'Models:' : 'Models: none');
  for (const m of r.models)
    lines.push(`  models/${m.directory ? `${m.directory}/` : '?/'}${m.name}${m.url ? `  ${m.url}` : ''}${m.missing ? '  (missing on the server)' : ''}`);
  return lines.map((l) => `${terminalText(l)}\n`).join('');
}

function sourceName(s: PackJson['source']): string {
  return s === 'workflow' ? 'the workflow' : s === 'nodeMap' ? 'the node map' : s === 'manager' ? 'ComfyUI-Manager' : 'the Comfy Registry';
}

/** comfy-cli commands; values that fail the safety checks are left out with a comment saying so. */
export function commandLines(r: Requirements): string[] {
  const out: string[] = [];
  for (const p of r.packs) {
    const cmd = nodeInstallCommand({ ...p, ...(p.repository ? { repository: p.repository } : {}) });
    out.push(cmd ?? `# no safe install command for ${terminalText(p.title).replace(/[^\w .()/-]/g, '?')}`);
  }
  for (const m of r.models) {
    if (m.missing === false) continue;
    const cmd = modelDownloadCommand(m);
    out.push(cmd ?? `# no download URL or folder for ${terminalText(m.name).replace(/[^\w .()/-]/g, '?')}`);
  }
  return out;
}
