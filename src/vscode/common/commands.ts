// The one way feature commands are registered: a failure becomes a single error notification (and a log line)
// instead of an unhandled rejection, a cancellation stays silent, and a command that needs a server says how to
// configure one. Every command of every feature goes through it (test/integration/vscode/oneWay.test.ts checks).
import * as vscode from 'vscode';
import { isCancellation } from '../../core/comfy/errors';
import { errorMessage } from '../../core/util/errorMessage';
import type { Logger } from '../../core/util/logger';

/** Registers `id`; errors thrown by `fn` are logged and shown once, cancellations resolve to undefined silently. */
export function registerGuardedCommand(id: string, fn: (...args: unknown[]) => Promise<unknown> | unknown, log: Pick<Logger, 'warn'>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await fn(...args);
    } catch (error) {
      if (isCancellation(error)) return undefined;
      log.warn(`${id} failed:`, error);
      void vscode.window.showErrorMessage(errorMessage(error));
      return undefined;
    }
  });
}

/** The configured client, or an error telling the user which setting to fix. */
export function requireClient<T>(client: T | undefined): T {
  if (!client) throw new Error(noServerMessage());
  return client;
}

export function noServerMessage(): string {
  return vscode.l10n.t('No usable ComfyUI server URL is configured (comfyui.serverUrl).');
}
