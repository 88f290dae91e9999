// What "the same verdict" means when our validation is compared with a server's answer to POST /prompt (the recorded
// real server in verdicts.test.ts, the mock in differential.test.ts): the set of node ids each side names.

export interface PromptErrorAnswer {
  node_errors?: Record<string, unknown>;
  error?: { type: string; details?: string };
}

/** The nodes a 400 names: the keys of `node_errors`, plus the node in an invalid_prompt / missing_node_type detail ("… #<id>'"). */
export function nodesNamedByServer(body: PromptErrorAnswer): string[] {
  const named = new Set(Object.keys(body.node_errors ?? {}));
  const err = body.error;
  if (err && (err.type === 'invalid_prompt' || err.type === 'missing_node_type')) {
    const m = /#([^']+)'/.exec(err.details ?? '');
    if (m) named.add(m[1]!);
  }
  return [...named].sort();
}

/** The nodes our problems name with error severity; prompt-level errors count as `<global>`. */
export function nodesNamedByUs(problems: readonly { severity: string; nodeId?: string }[]): string[] {
  return [...new Set(problems.filter((p) => p.severity === 'error').map((p) => p.nodeId ?? '<global>'))].sort();
}
