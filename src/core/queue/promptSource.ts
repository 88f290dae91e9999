// Turns the parsed JSON of a workflow file into the body of POST /prompt.
// API files are sent as they are; request files (a saved /prompt body) are unwrapped so our own client_id/prompt_id/
// front win; UI files go through the UI→API conversion and carry the workflow in extra_pnginfo like the web UI does.
import type { ApiPrompt, PromptRequest } from '../comfy/types';
import { attachNumberLiterals, stringifyAsWritten } from '../util/jsonNumbers';
import { isRecord } from '../util/guards';
import { detectValueFormat, type WorkflowFormat } from '../workflow/format';

export type SourceFormat = WorkflowFormat;

/**
 * Format of a parsed workflow file: the one detector the document model uses too (core/workflow/format.ts), so the
 * editor and the queue command never disagree about what a file is.
 */
export function detectSourceFormat(root: unknown): SourceFormat {
  return detectValueFormat(root);
}

/** Where the API prompt lives inside the file, for JSON paths of a request body. */
export function promptPathPrefix(format: SourceFormat): (string | number)[] {
  return format === 'request' ? ['prompt'] : [];
}

/** The result of converting a UI workflow; `prompt` is what gets queued. */
export interface UiConversionResult {
  prompt: ApiPrompt;
}

export type UiConverter = (workflow: unknown) => UiConversionResult;

export interface BuildOptions {
  clientId?: string;
  promptId: string;
  front?: boolean;
  /** Required for UI files. */
  convertUi?: UiConverter;
  /**
   * The file's text: integers a double cannot hold (seeds up to 2^64-1) are then sent as written, not rounded
   * (`serializePromptRequest`, used by ComfyClient.queuePrompt).
   */
  sourceText?: string;
}

/** The body of POST /prompt as text: numbers of the source file keep their source text (see BuildOptions.sourceText). */
export function serializePromptRequest(body: PromptRequest): string {
  return stringifyAsWritten(body);
}

export class PromptSourceError extends Error {
  override readonly name = 'PromptSourceError';
}

/** Builds the /prompt body. Throws PromptSourceError with a user-facing message when the file cannot be queued. */
export function buildPromptRequest(root: unknown, format: SourceFormat, options: BuildOptions): PromptRequest {
  let prompt: ApiPrompt;
  let extraData: PromptRequest['extra_data'] | undefined;
  let partialTargets: string[] | undefined;
  switch (format) {
    case 'api':
      prompt = root as ApiPrompt;
      break;
    case 'request': {
      const body = root as Record<string, unknown>;
      prompt = body.prompt as ApiPrompt;
      // Keep what the saved body asked the executor for (workflow metadata, partial execution), never its identity.
      if (isRecord(body.extra_data)) {
        const { client_id: _c, ...rest } = body.extra_data;
        void _c;
        extraData = rest;
      }
      if (Array.isArray(body.partial_execution_targets)) partialTargets = body.partial_execution_targets.map(String);
      break;
    }
    case 'ui': {
      if (!options.convertUi) throw new PromptSourceError('UI workflows need the node definitions of a connected server to be converted before queueing.');
      prompt = options.convertUi(root).prompt;
      extraData = { extra_pnginfo: { workflow: root } };
      break;
    }
    case 'none':
      throw new PromptSourceError('This file is not a ComfyUI workflow (neither API format, a /prompt body, nor a UI workflow).');
  }
  if (!isRecord(prompt) || Object.keys(prompt).length === 0) throw new PromptSourceError('The workflow has no nodes to queue.');
  const body: PromptRequest = { prompt, prompt_id: options.promptId };
  if (options.clientId) body.client_id = options.clientId;
  if (options.front) body.front = true;
  if (extraData) body.extra_data = extraData;
  if (partialTargets) body.partial_execution_targets = partialTargets;
  if (options.sourceText !== undefined) attachNumberLiterals(body, options.sourceText);
  return body;
}
