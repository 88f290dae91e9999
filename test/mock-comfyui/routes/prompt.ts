// POST/GET /prompt and the node definitions (/object_info, /object_info/{class}).
import { randomUUID } from 'node:crypto';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { MockContext, RouteFamily } from '../context';
import { HttpAnswer, internalError, json, pyIn } from '../http';
import { syntheticNode } from '../faults';
import { loaderFileExists } from '../files';
import { pyStr, pyToFloat } from '../python';
import type { QueueItem } from '../queue';
import { validatePrompt } from '../validate';

export const promptRoutes: RouteFamily = {
  name: 'prompt',
  paths: /^\/(prompt|object_info|object_info\/.+)$/,
  route({ method, path, body }, ctx) {
    if (path === '/prompt' && method === 'GET') return json(ctx.queueInfo());
    if (path === '/prompt' && method === 'POST') return postPrompt(ctx, body);
    if (path === '/object_info' && method === 'GET') {
      const huge = ctx.faults().hugeObjectInfo;
      if (huge) {
        const big: Record<string, unknown> = { ...ctx.objectInfo() };
        for (let i = 0; i < huge; i++) big[`MockSynthetic${String(i).padStart(5, '0')}`] = syntheticNode(i);
        return json(big);
      }
      const dumpText = ctx.objectInfoText();
      if (dumpText !== undefined) return new HttpAnswer(200, Buffer.from(dumpText, 'utf8'), { 'Content-Type': 'application/json; charset=utf-8' });
      return json(ctx.objectInfo());
    }
    const classMatch = /^\/object_info\/(.+)$/.exec(path);
    if (classMatch && method === 'GET') {
      const cls = decodeURIComponent(classMatch[1]!);
      const info = ctx.objectInfo();
      return json(Object.hasOwn(info, cls) ? { [cls]: info[cls] } : {});
    }
    return undefined;
  },
};

/** Key order of body.prompt as written in the JSON text (JSON.parse moves integer-like keys first). */
function promptKeyOrder(raw: string): string[] | undefined {
  try {
    const root = parseTree(raw);
    const prop = root?.type === 'object' ? root.children?.find((p: JsonNode) => p.children?.[0]?.value === 'prompt') : undefined;
    const obj = prop?.children?.[1];
    if (obj?.type !== 'object') return undefined;
    return (obj.children ?? []).map((p: JsonNode) => String(p.children?.[0]?.value));
  } catch {
    return undefined;
  }
}

/**
 * 0.33 applies /node_replacements to a prompt before validating it; for a class that is missing from this server
 * but has a replacement, that step raises and the client gets aiohttp's 500 text page.
 */
function usesMissingReplacedClass(ctx: MockContext, prompt: unknown): boolean {
  if (ctx.version === '0.3.64' || prompt === null || typeof prompt !== 'object' || Array.isArray(prompt)) return false;
  const info = ctx.objectInfo();
  const replacements = ctx.nodeReplacements();
  for (const node of Object.values(prompt as Record<string, unknown>)) {
    const cls = (node as { class_type?: unknown } | null)?.class_type;
    if (typeof cls === 'string' && !Object.hasOwn(info, cls) && Object.hasOwn(replacements, cls)) return true;
  }
  return false;
}

function postPrompt(ctx: MockContext, body: Buffer): HttpAnswer {
  const raw = body.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return internalError();
  }
  let number: number;
  if (pyIn('number', data)) {
    number = pyToFloat((data as Record<string, unknown>)['number']);
  } else {
    number = ctx.nextNumber();
    if (pyIn('front', data) && (data as Record<string, unknown>)['front']) number = -number;
  }
  if (!pyIn('prompt', data)) {
    return json({ error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} }, node_errors: {} }, 400);
  }
  const d = data as Record<string, unknown>;
  if (usesMissingReplacedClass(ctx, d['prompt'])) return internalError();
  const promptId = Object.hasOwn(d, 'prompt_id') ? pyStr(d['prompt_id']) : randomUUID();
  const info = ctx.objectInfo();
  const keyOrder = promptKeyOrder(raw);
  const result = validatePrompt(d['prompt'], info, {
    keyOrder,
    partialExecutionTargets: d['partial_execution_targets'],
    promptId,
    number,
    comfyVersion: ctx.version,
    fileExists: (cls, input, value) => loaderFileExists(ctx.dirs, info, cls, input, value),
  });
  if (result.status === 500) return internalError();
  let extraData: Record<string, unknown> = {};
  if (Object.hasOwn(d, 'extra_data')) extraData = d['extra_data'] as Record<string, unknown>;
  if (Object.hasOwn(d, 'client_id')) {
    if (extraData === null || typeof extraData !== 'object' || Array.isArray(extraData)) return internalError();
    extraData['client_id'] = d['client_id'];
  }
  if (result.status !== 200) return json(result.body, 400);
  if (ctx.jobs.enabled()) extraData['create_time'] = Date.now();
  if (keyOrder) ctx.promptOrders.set(result.prompt!, keyOrder);
  ctx.queue.put([number, promptId, result.prompt!, extraData, result.outputs!] as QueueItem);
  ctx.kick();
  return json(result.body);
}
