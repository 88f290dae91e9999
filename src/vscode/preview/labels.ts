// The preview page's own words in the editor's language: the page is bundled without vscode.l10n, so the host
// translates them and puts them in the page's HTML (previewProtocol.ts PreviewLabels, English there as defaults).
import * as vscode from 'vscode';
import type { PreviewLabels } from '../../shared/previewProtocol';

export function previewLabels(): PreviewLabels {
  return {
    idle: vscode.l10n.t('No run yet'),
    pending: vscode.l10n.t('Queued'),
    running: vscode.l10n.t('Running'),
    success: vscode.l10n.t('Finished'),
    error: vscode.l10n.t('Failed'),
    interrupted: vscode.l10n.t('Interrupted'),
    step: vscode.l10n.t('Step {0}/{1}'),
    livePreview: vscode.l10n.t('Live preview'),
    open: vscode.l10n.t('Open'),
    openTitle: vscode.l10n.t('Open in an editor tab'),
    save: vscode.l10n.t('Save'),
    saveTitle: vscode.l10n.t('Save to the workspace'),
    copyPath: vscode.l10n.t('Copy path'),
    copyPathTitle: vscode.l10n.t('Copy the local path of the file'),
    metadata: vscode.l10n.t('Metadata'),
    metadataTitle: vscode.l10n.t('Show the generation metadata (embedded prompt and workflow)'),
    workflow: vscode.l10n.t('Workflow'),
    workflowTitle: vscode.l10n.t('Open the embedded workflow as a new document'),
    loading: vscode.l10n.t('Loading…'),
    noPreview: vscode.l10n.t('No preview'),
    retry: vscode.l10n.t('Retry'),
    compare: vscode.l10n.t('Compare'),
    uncompare: vscode.l10n.t('Uncompare'),
    compareTitle: vscode.l10n.t('Select two images to compare them side by side'),
    noOutputs: vscode.l10n.t('No outputs yet.'),
    close: vscode.l10n.t('Close'),
  };
}
