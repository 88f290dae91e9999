// Fetching a node map the user names by URL (`comfyui.nodeMap`, `--node-map https://…`): undici, timeout + signal,
// size cap. Files are read by the caller (the CLI or the editor), which then calls parseNodeMapText.
import { request, type Dispatcher } from 'undici';
import { deadline } from '../util/abort';
import { parseNodeMapText, type NodeMapIndex } from './nodeMap';
import { LIMITS, safeHttpUrl } from './types';
import { formatBytes } from '../util/display';

export async function fetchNodeMap(url: string, options: { signal?: AbortSignal; timeoutMs?: number; dispatcher?: Dispatcher } = {}): Promise<NodeMapIndex> {
  const safe = safeHttpUrl(url);
  if (!safe) throw new Error('the node map URL must be http(s) without credentials');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dl = deadline(options.signal, timeoutMs);
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(safe, {
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: dl.signal,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
    } catch (e) {
      if (dl.cancelled()) throw e;
      if (dl.timedOut()) throw new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`, { cause: e });
      throw new Error(`unreachable (${(e as { code?: string }).code ?? (e as Error).message})`, { cause: e });
    }
    if (res.statusCode !== 200) {
      await res.body.dump().catch(() => undefined);
      throw new Error(`HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > LIMITS.maxMapBytes) {
        res.body.destroy();
        throw new Error(`larger than ${formatBytes(LIMITS.maxMapBytes)}`);
      }
      chunks.push(c as Buffer);
    }
    return parseNodeMapText(Buffer.concat(chunks).toString('utf8'), 'nodeMap', safe);
  } finally {
    dl.dispose();
  }
}
