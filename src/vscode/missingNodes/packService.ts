// Where the editor's pack answers come from, kept loaded so validation can use them synchronously:
// `comfyui.nodeMap` (file or URL, loaded in the background), ComfyUI-Manager's map of the active server (read once
// per server when it connects), and, behind `comfyui.registry.enabled`, answers of the Comfy Registry
// (`comfyui.registry.url`) for classes nothing else knows (asked in the background, a few at a time; diagnostics
// are refreshed when answers arrive).
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { ComfyClient } from '../../core/comfy/client';
import { isCancellation, isComfyError } from '../../core/comfy/errors';
import { documentPackView } from '../../core/packs/document';
import { enrichProblems, missingClassOf } from '../../core/packs/enrich';
import { detectAssetsDownload, type AssetsSupport } from '../../core/packs/assets';
import { detectManager, fetchManagerMappings, type ManagerInfo } from '../../core/packs/manager';
import { fetchNodeMap } from '../../core/packs/mapSource';
import { parseNodeMapText, type NodeMapIndex } from '../../core/packs/nodeMap';
import { DEFAULT_REGISTRY_URL, RegistryClient } from '../../core/packs/registry';
import { resolveClasses, resolveClassSync, type PackSources } from '../../core/packs/resolver';
import type { PackCandidate } from '../../core/packs/types';
import type { WorkflowDocument } from '../../core/workflow/document';
import { resolveLocale } from '../../core/workflow/messages';
import { SECTION } from '../common/config';
import type { HostServices } from '../host/index';
import { resolveDumpPath } from '../host/index';
import type { EditorProblem, LiveWorkflow } from '../language/diagnostics';
import { debounce, type Debounced } from '../../core/util/debounce';
import { systemClock, type Clock } from '../../core/util/clock';
import { isMissingClassProblem } from '../../core/workflow/validate';

export interface ManagerState {
  client: ComfyClient;
  info: ManagerInfo;
  map?: NodeMapIndex;
}

export class PackService implements vscode.Disposable {
  private nodeMap: NodeMapIndex | undefined;
  private registry: RegistryClient | undefined;
  private managerState: ManagerState | undefined;
  private managerFor: ComfyClient | undefined;
  private assetsState: AssetsSupport | undefined;
  private assetsFor: ComfyClient | undefined;
  private readonly asked = new Set<string>();
  private readonly toAsk = new Set<string>();
  /** Registry questions go out at most every 300 ms, batched (a burst of problems is one request round). */
  private readonly askLater: Debounced<[]>;
  private readonly abort = new AbortController();
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** Fires when new answers are loaded (diagnostics should be recomputed). */
  readonly onDidChange = this._onDidChange.event;
  private readonly _onDidChangeManager = new vscode.EventEmitter<ManagerState | undefined>();
  readonly onDidChangeManager = this._onDidChangeManager.event;
  private readonly disposables: vscode.Disposable[] = [this._onDidChange, this._onDidChangeManager];

  constructor(
    private readonly host: HostServices,
    private readonly clock: Clock = systemClock,
  ) {
    this.askLater = debounce(() => this.askRegistry(), 300, { clock, mode: 'burst' });
    const { connection } = host;
    this.disposables.push(
      connection.onDidChangeServer(() => {
        this.setManager(undefined, undefined);
        this.setAssets(undefined, undefined);
      }),
      connection.onDidChangeState((s) => {
        if (s !== 'connected') return;
        void this.loadManager();
        void this.loadAssets();
      }),
      host.onDidChangeSettings((e) => {
        if (e.affectsConfiguration(`${SECTION}.nodeMap`)) void this.loadNodeMap();
        if (e.affectsConfiguration(`${SECTION}.registry`)) this.configureRegistry();
      }),
    );
    this.configureRegistry();
    void this.loadNodeMap();
    if (connection.state === 'connected') {
      void this.loadManager();
      void this.loadAssets();
    }
  }

  get manager(): ManagerState | undefined {
    return this.managerState;
  }

  /** Whether the active server downloads models through POST /api/assets/download (undefined: not known yet). */
  get assets(): AssetsSupport | undefined {
    return this.assetsState;
  }

  /** The sources for one document, as loaded now. */
  sources(doc: WorkflowDocument): PackSources {
    return {
      workflow: documentPackView(doc).info,
      ...(this.nodeMap ? { nodeMaps: [this.nodeMap] } : {}),
      ...(this.managerState?.map ? { manager: this.managerState.map } : {}),
      ...(this.registry ? { registry: this.registry } : {}),
    };
  }

  candidates(doc: WorkflowDocument, classType: string): PackCandidate[] {
    return resolveClassSync(classType, this.sources(doc));
  }

  /** The diagnostics hook: names packs and model folders from loaded data, and asks the registry later. */
  readonly enrich = (entry: LiveWorkflow, problems: EditorProblem[], locale: string): EditorProblem[] => {
    const doc = entry.parsed;
    // Large documents are parsed only in the validation worker; their problems stay as the validator wrote them.
    if (!doc) return problems;
    const view = documentPackView(doc);
    const sources = this.sources(doc);
    const out = enrichProblems(problems, { sources, classOf: view.classOf, locale: resolveLocale(locale) });
    if (this.registry) {
      for (const p of problems) {
        if (!isMissingClassProblem(p)) continue;
        const c = missingClassOf(p, view.classOf);
        if (c && !this.asked.has(c) && resolveClassSync(c, sources).length === 0) this.toAsk.add(c);
      }
      this.scheduleRegistry();
    }
    return out;
  };

  private scheduleRegistry(): void {
    if (this.toAsk.size > 0) this.askLater();
  }

  private askRegistry(): void {
    const registry = this.registry;
    const classes = [...this.toAsk].slice(0, 64);
    this.toAsk.clear();
    if (!registry) return;
    for (const c of classes) this.asked.add(c);
    void resolveClasses(classes, { registry }, { signal: this.abort.signal }).then((r) => {
      if (r.registryError) this.host.log.warn(`Comfy Registry: ${r.registryError}`);
      if ([...r.classes.values()].some((c) => c.candidates.length > 0)) this._onDidChange.fire();
    });
  }

  private configureRegistry(): void {
    const config = vscode.workspace.getConfiguration(SECTION);
    const enabled = config.get<boolean>('registry.enabled') !== false;
    const url = (config.get<string>('registry.url') ?? '').trim() || DEFAULT_REGISTRY_URL;
    this.registry = undefined;
    if (enabled) {
      try {
        this.registry = new RegistryClient({ baseUrl: url, clock: this.clock, timeoutMs: Math.min(this.host.settings().requestTimeoutMs, 15_000) });
      } catch (e) {
        // Not an http(s) URL without credentials: ask nobody rather than another registry than the one configured.
        void vscode.window.showWarningMessage(
          vscode.l10n.t('comfyui.registry.url is not usable, so the Comfy Registry is not asked: {0}', (e as Error).message),
        );
      }
    }
    this.asked.clear();
    this._onDidChange.fire();
  }

  private async loadNodeMap(): Promise<void> {
    const setting = (vscode.workspace.getConfiguration(SECTION).get<string>('nodeMap') ?? '').trim();
    if (!setting) {
      if (this.nodeMap) {
        this.nodeMap = undefined;
        this._onDidChange.fire();
      }
      return;
    }
    try {
      if (/^https?:\/\//i.test(setting)) this.nodeMap = await fetchNodeMap(setting, { signal: this.abort.signal, timeoutMs: 60_000 });
      else {
        const file = resolveDumpPath(setting)!;
        this.nodeMap = parseNodeMapText(await readFile(file, 'utf8'), 'nodeMap', file);
      }
      this.host.log.info(`Node map: ${this.nodeMap.packCount} packs, ${this.nodeMap.classCount} classes.`);
      this._onDidChange.fire();
    } catch (e) {
      if (isCancellation(e)) return;
      this.nodeMap = undefined;
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The node map in comfyui.nodeMap could not be loaded: {0}.', (e as Error).message.replace(/\.$/, '')),
      );
    }
  }

  private setManager(state: ManagerState | undefined, client: ComfyClient | undefined): void {
    this.managerState = state;
    this.managerFor = client;
    void vscode.commands.executeCommand('setContext', 'comfyui.managerAvailable', state !== undefined);
    this._onDidChangeManager.fire(state);
    this._onDidChange.fire();
  }

  private setAssets(state: AssetsSupport | undefined, client: ComfyClient | undefined): void {
    this.assetsState = state;
    this.assetsFor = client;
    void vscode.commands.executeCommand('setContext', 'comfyui.assetsDownloadAvailable', state?.available === true);
  }

  /** Reads whether the active server has the assets download API (its `assets` flag, then the task route), once per server. */
  async loadAssets(force = false): Promise<AssetsSupport | undefined> {
    const client = this.host.connection.client;
    if (!client) return undefined;
    if (!force && this.assetsFor === client && this.assetsState) return this.assetsState;
    this.assetsFor = client;
    try {
      const features = this.host.connection.socket?.serverFeatures;
      const state = await detectAssetsDownload(client, features, { signal: this.abort.signal, timeoutMs: 10_000 });
      if (this.host.connection.client !== client) return undefined;
      if (state.available) this.host.log.info(`${client.displayUrl} downloads models through its assets API.`);
      else if (state.detail) this.host.log.info(`${client.displayUrl}: the assets download API cannot be used (${state.detail}).`);
      this.setAssets(state, client);
      return state;
    } catch (e) {
      if (!isCancellation(e)) this.host.log.debug(`Assets download probe: ${isComfyError(e) ? e.message : String(e)}`);
      this.assetsFor = undefined;
      return undefined;
    }
  }

  /** Reads ComfyUI-Manager's presence and map from the active server (once per server). */
  async loadManager(force = false): Promise<ManagerState | undefined> {
    const client = this.host.connection.client;
    if (!client) return undefined;
    if (!force && this.managerFor === client) return this.managerState;
    this.managerFor = client;
    try {
      const info = await detectManager(client, { signal: this.abort.signal, timeoutMs: 10_000 });
      if (this.host.connection.client !== client) return undefined;
      if (!info) {
        this.setManager(undefined, client);
        return undefined;
      }
      let map: NodeMapIndex | undefined;
      try {
        map = await fetchManagerMappings(client, info, { signal: this.abort.signal });
        this.host.log.info(`ComfyUI-Manager on ${client.displayUrl}: ${map.packCount} packs, ${map.classCount} classes.`);
      } catch (e) {
        if (isCancellation(e)) return undefined;
        this.host.log.warn(`ComfyUI-Manager's node map: ${isComfyError(e) ? e.message : String(e)}`);
      }
      if (this.host.connection.client !== client) return undefined;
      this.setManager({ client, info, ...(map ? { map } : {}) }, client);
      return this.managerState;
    } catch (e) {
      if (!isCancellation(e)) this.host.log.debug(`ComfyUI-Manager probe: ${isComfyError(e) ? e.message : String(e)}`);
      this.managerFor = undefined;
      return undefined;
    }
  }

  dispose(): void {
    this.abort.abort();
    this.askLater.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
