// The one "ComfyUI" LogOutputChannel, seen by the core as a plain `Logger`. Users pick the level with
// "Developer: Set Log Level"; nothing here filters. Every line passes the redactor first, so a token in the server
// URL or an Authorization header value never reaches the log (users paste logs into bug reports).
import type * as vscode from 'vscode';
import type { Logger } from '../../core/util/logger';
import { Redactor } from '../../core/comfy/redact';

export interface ExtensionLog extends Logger, vscode.Disposable {
  /**
   * Replaces the secrets to mask of one source (called when the server URL / credentials change). Sources are kept
   * apart so the URL's secrets and the stored credentials (src/vscode/serverRegistry) do not overwrite each other.
   */
  setSecrets(secrets: Iterable<string>, source?: string): void;
  show(): void;
}

export function createLog(channel: vscode.LogOutputChannel): ExtensionLog {
  let redactor = new Redactor();
  const sources = new Map<string, string[]>();
  const render = (args: unknown[]): string => redactor.text(args.map(stringify).join(' '));
  return {
    trace: (...args) => channel.trace(render(args)),
    debug: (...args) => channel.debug(render(args)),
    info: (...args) => channel.info(render(args)),
    warn: (...args) => channel.warn(render(args)),
    error: (...args) => channel.error(render(args)),
    setSecrets: (secrets, source = 'url') => {
      sources.set(source, [...secrets]);
      redactor = new Redactor([...sources.values()].flat());
    },
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

function stringify(value: unknown): string {
  if (value instanceof Error) {
    const cause = value.cause instanceof Error ? `\n  caused by: ${value.cause.message}` : '';
    return `${value.stack ?? `${value.name}: ${value.message}`}${cause}`;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
