// The "Server Info" document: /system_stats (versions, devices with VRAM, RAM), /extensions (custom node packs,
// from their web directories) and /features. Pure: answers in, Markdown out; every server string is escaped.
import type { ServerFeatures, SystemStats } from '../../core/comfy/types';
import { escapeMarkdown, markdownCode } from '../../core/util/escape';
import { formatBytes } from '../../core/util/display';

export type Fetched<T> = { ok: true; value: T } | { ok: false; error: string };

/** A size the server reported, or "?" when it did not. */
function bytes(n: number | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? formatBytes(n) : '?';
}

/** "free of total" plus a used-percentage, for RAM and VRAM. */
function memory(free: number | undefined, total: number | undefined): string {
  if (typeof total !== 'number' || total <= 0) return '?';
  const used = typeof free === 'number' ? Math.round(((total - free) / total) * 100) : undefined;
  return `${bytes(free)} free of ${bytes(total)}${used !== undefined ? ` (${used}% used)` : ''}`;
}

/** Custom node packs from /extensions: `/extensions/<pack>/…js` → pack names (core's own scripts excluded). */
export function extensionPacks(urls: string[]): { pack: string; files: number }[] {
  const packs = new Map<string, number>();
  for (const u of urls) {
    const m = /^\/?extensions\/([^/]+)\//.exec(u);
    if (!m) continue;
    const pack = decodeURIComponentSafe(m[1]!);
    if (pack === 'core') continue;
    packs.set(pack, (packs.get(pack) ?? 0) + 1);
  }
  return [...packs].sort((a, b) => a[0].localeCompare(b[0])).map(([pack, files]) => ({ pack, files }));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const OS_NAMES: Record<string, string> = { nt: 'Windows', posix: 'POSIX (Linux/macOS)', win32: 'Windows', linux: 'Linux', darwin: 'macOS' };

export function serverInfoMarkdown(server: string, stats: Fetched<SystemStats>, extensions: Fetched<string[]>, features: Fetched<ServerFeatures>): string {
  const e = escapeMarkdown;
  const out: string[] = [`# ComfyUI server ${e(server)}`, ''];
  if (stats.ok) {
    const s = stats.value.system;
    const str = (v: unknown) => (typeof v === 'string' && v ? e(v) : '?');
    out.push(
      '| | |',
      '|---|---|',
      `| ComfyUI | ${str(s.comfyui_version)} |`,
      `| Python | ${str(s.python_version?.split(' ')[0])} |`,
      `| PyTorch | ${str(s.pytorch_version)} |`,
      `| OS | ${str(typeof s.os === 'string' && Object.prototype.hasOwnProperty.call(OS_NAMES, s.os) ? OS_NAMES[s.os] : s.os)} |`,
      `| RAM | ${memory(s.ram_free, s.ram_total)} |`,
    );
    if (typeof s.required_frontend_version === 'string') out.push(`| Frontend (required) | ${e(s.required_frontend_version)} |`);
    if (s.embedded_python === true) out.push('| Python build | embedded (portable) |');
    if (Array.isArray(s.argv) && s.argv.length > 1) out.push(`| Arguments | ${markdownCode(s.argv.slice(1).map(String).join(' ')).replace(/\|/g, '\\|')} |`);
    out.push('', '## Devices', '');
    const devices = Array.isArray(stats.value.devices) ? stats.value.devices : [];
    if (devices.length === 0) out.push('_No devices reported._');
    for (const d of devices) {
      const index = d.index !== null && d.index !== undefined ? ` #${d.index}` : '';
      const torch = typeof d.torch_vram_total === 'number' ? `; PyTorch holds ${bytes(d.torch_vram_total)} (${bytes(d.torch_vram_free)} of it free)` : '';
      out.push(`- **${e(String(d.name ?? '?'))}** (${e(String(d.type ?? '?'))}${index}): VRAM ${memory(d.vram_free, d.vram_total)}${torch}`);
    }
  } else {
    out.push(`_System stats unavailable: ${e(stats.error)}_`);
  }
  out.push('', '## Custom node packs', '');
  if (extensions.ok) {
    const packs = extensionPacks(extensions.value);
    if (packs.length === 0) out.push('_None with web extensions (packs without a web directory are not listed by /extensions)._');
    for (const p of packs) out.push(`- ${e(p.pack)} (${p.files} script${p.files === 1 ? '' : 's'})`);
  } else out.push(`_Unavailable: ${e(extensions.error)}_`);
  out.push('', '## Features', '');
  if (features.ok) {
    const entries = Object.entries(features.value);
    if (entries.length === 0) out.push('_None reported._');
    for (const [k, v] of entries)
      out.push(`- ${e(k)}: ${k === 'max_upload_size' && typeof v === 'number' ? formatBytes(v) : e(typeof v === 'string' ? v : JSON.stringify(v))}`);
  } else out.push(`_Unavailable (servers before mid-2025 have no /features): ${e(features.error)}_`);
  return `${out.join('\n')}\n`;
}
