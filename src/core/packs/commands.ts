// Shell commands a user can copy: `comfy node install <id>@<ver>` and
// `comfy model download --url <url> --relative-path models/<dir>` (comfy-cli). Every part comes from a workflow or
// a server, so each one is checked against a strict pattern and single-quoted when it is not plain; a value that
// fails the check yields no command at all rather than an unsafe one.
import { githubSlug, safeHttpUrl, type ModelRef, type PackCandidate } from './types';
import { isSafeFolder } from './workflowInfo';
import { baseName } from '../util/display';

const PLAIN = /^[A-Za-z0-9._@/:=+-]+$/;

/** POSIX single-quoting (`'` → `'\''`); plain words stay bare. */
export function shellQuote(s: string): string {
  return PLAIN.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$/;

/** `comfy node install id@version` (registry packs), or undefined when there is nothing safe to install. */
export function nodeInstallCommand(p: PackCandidate): string | undefined {
  if (p.registryId && ID.test(p.registryId)) {
    const v = p.version && VERSION.test(p.version) && !/^[0-9a-f]{7,40}$/i.test(p.version) ? `@${p.version}` : '';
    return `comfy node install ${p.registryId}${v}`;
  }
  // Outside the registry comfy-cli hands the Git URL to Manager's cm-cli, which installs it (security level allowing).
  const slug = githubSlug(p.repository) ?? p.auxId;
  const url = p.repository ? safeHttpUrl(p.repository) : slug ? `https://github.com/${slug}` : undefined;
  if (!url) return undefined;
  return `comfy node install ${shellQuote(url)}`;
}

/** `comfy model download --url … --relative-path models/<dir>` or undefined without a URL and folder. */
export function modelDownloadCommand(m: ModelRef): string | undefined {
  const url = safeHttpUrl(m.url);
  if (!url || !m.directory || !isSafeFolder(m.directory)) return undefined;
  const base = baseName(m.name);
  const sub = m.name.includes('/') ? m.name.slice(0, m.name.lastIndexOf('/')) : '';
  const dir = sub && isSafeFolder(`${m.directory}/${sub}`) ? `${m.directory}/${sub}` : m.directory;
  const filename = base && /^[A-Za-z0-9._ ()+-]{1,255}$/.test(base) && !base.startsWith('.') ? ` --filename ${shellQuote(base)}` : '';
  return `comfy model download --url ${shellQuote(url)} --relative-path ${shellQuote(`models/${dir}`)}${filename}`;
}
