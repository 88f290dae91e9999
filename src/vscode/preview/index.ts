// Wires the preview feature: the panel service, its serializer and the commands other features call
// (`comfyui.openOutput` from the Queue & History tree, `comfyui.showOutputs` after a run) plus the palette commands
// `comfyui.showPreview` and `comfyui.openWorkflowFromImage`.
import * as vscode from 'vscode';
import type { FileRef } from '../../core/comfy/types';
import { readEmbeddedMetadata } from '../../core/media/embedded';
import { registerGuardedCommand } from '../common/commands';
import type { HostServices } from '../host/index';
import { baseName } from '../common/format';
import { isPersistedState } from '../../shared/previewProtocol';
import { openEmbeddedWorkflow } from './itemActions';
import { PREVIEW_VIEW_TYPE } from './previewPanel';
import { PreviewService, type PreviewServiceDeps } from './previewService';
import { formatBytes } from '../../core/util/display';

/** The feature needs exactly what its service needs. */
export type PreviewFeatureDeps = PreviewServiceDeps;

export interface PreviewFeatures extends vscode.Disposable {
  service: PreviewService;
}

/** Largest local image read by "Open Workflow From Image". */
const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

export function registerPreview(context: vscode.ExtensionContext, host: HostServices): PreviewFeatures {
  const preview = registerPreviewFeatures({
    connection: host.connection,
    extensionUri: context.extensionUri,
    storageUri: context.globalStorageUri,
    log: host.log,
  });
  context.subscriptions.push(preview);
  return preview;
}

export function registerPreviewFeatures(deps: PreviewFeatureDeps): PreviewFeatures {
  const service = new PreviewService(deps);
  const cmd = (id: string, fn: (...args: unknown[]) => Promise<unknown> | unknown) => registerGuardedCommand(id, fn, deps.log);
  const disposables: vscode.Disposable[] = [
    service,
    cmd('comfyui.showPreview', () => service.show()),
    cmd('comfyui.openOutput', (arg) => {
      const a = arg as { promptId?: unknown; nodeId?: unknown; file?: unknown } | undefined;
      const file = asFileRef(a?.file);
      if (!a || typeof a.promptId !== 'string' || !file) return service.show();
      return service.openOutput(a.promptId, typeof a.nodeId === 'string' ? a.nodeId : undefined, file);
    }),
    cmd('comfyui.showOutputs', (arg) => {
      const a = arg as { promptId?: unknown; outputs?: unknown; entry?: { id?: unknown } } | undefined;
      // From the Queue & History tree: the clicked entry node.
      if (a && typeof a.entry?.id === 'string') return service.show(a.entry.id);
      if (!a || typeof a.promptId !== 'string') return service.show();
      const outputs = Array.isArray(a.outputs)
        ? a.outputs.flatMap((o) => {
            const f = asFileRef(o);
            const nodeId = (o as { nodeId?: unknown }).nodeId;
            return f ? [{ ...f, nodeId: typeof nodeId === 'string' ? nodeId : '?' }] : [];
          })
        : [];
      return outputs.length ? service.showOutputs(a.promptId, outputs) : service.show(a.promptId);
    }),
    cmd('comfyui.openWorkflowFromImage', async (arg) => {
      const uri = arg instanceof vscode.Uri ? arg : await pickImage();
      if (!uri) return undefined;
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_IMAGE_FILE_BYTES) throw new Error(vscode.l10n.t('{0} is larger than {1}.', baseName(uri), formatBytes(MAX_IMAGE_FILE_BYTES)));
      const meta = readEmbeddedMetadata(await vscode.workspace.fs.readFile(uri));
      return openEmbeddedWorkflow(meta, baseName(uri));
    }),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        await service.revive(panel, isPersistedState(state) ? state : undefined);
      },
    }),
  ];
  return {
    service,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}

function asFileRef(v: unknown): FileRef | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const f = v as Record<string, unknown>;
  if (typeof f.filename !== 'string' || !f.filename) return undefined;
  return { filename: f.filename, subfolder: typeof f.subfolder === 'string' ? f.subfolder : '', type: typeof f.type === 'string' ? f.type : 'output' };
}

async function pickImage(): Promise<vscode.Uri | undefined> {
  // An image open in the editor area (VS Code's image preview is a custom editor, not a text editor).
  const input = vscode.window.tabGroups?.activeTabGroup?.activeTab?.input as { uri?: unknown } | undefined;
  if (input?.uri instanceof vscode.Uri && /\.(png|webp)$/i.test(input.uri.path)) return input.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { [vscode.l10n.t('Images with ComfyUI metadata')]: ['png', 'webp'] },
    title: vscode.l10n.t('Open Workflow From Image'),
  });
  return picked?.[0];
}
