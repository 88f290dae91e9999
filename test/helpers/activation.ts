// The one way tests activate the whole extension through the vscode shim: the given settings on top of what the test
// arranged (trust, settings, language), a fresh ExtensionContext with temporary storage, activate(). deactivate()
// disposes it and resets the shim, so the next test starts from a clean window (call it in afterEach).
import './vscode-shim/register';
import { shim, type ShimExtensionContext } from './vscode-shim/control';
import { activate } from '../../src/extension';
import type { EditorServices } from '../../src/vscode/api';

export interface ActivationOptions {
  /** Settings applied before activation (workspace level, as shim.setConfig, unless `settingsLevel` says otherwise). */
  settings?: Record<string, unknown>;
  settingsLevel?: 'user' | 'workspace';
  /** VS Code's display language (e.g. 'zh-cn'). */
  language?: string;
  /** Reuse a storage folder across "sessions" (cache tests). */
  globalStorageDir?: string;
  /** Another build of activate() (the bundled dist/extension.js). */
  activate?: (context: ShimExtensionContext) => EditorServices;
}

export interface ActivatedExtension {
  services: EditorServices;
  context: ShimExtensionContext;
  /** Disposes every subscription and the temporary storage, then resets the shim. Safe to call twice. */
  deactivate(): void;
}

export function activateExtension(options: ActivationOptions = {}): ActivatedExtension {
  if (options.language) shim.setLanguage(options.language);
  for (const [key, value] of Object.entries(options.settings ?? {})) shim.setConfig(key, value, options.settingsLevel ?? 'workspace');
  const context = shim.createExtensionContext(options.globalStorageDir !== undefined ? { globalStorageDir: options.globalStorageDir } : {});
  const services = (options.activate ?? activate)(context);
  let active = true;
  return {
    services,
    context,
    deactivate: () => {
      if (!active) return;
      active = false;
      context.dispose();
      shim.reset();
    },
  };
}
