// "Least busy" choice among several ComfyUI servers. Pure: the adapter probes each server (GET /prompt for
// queue_remaining, the socket's last `status` message, /object_info/{class} for the classes the workflow uses) and
// hands the facts here. A server is eligible only when it answered and knows every class the workflow needs, so a
// prompt is never sent where it would be rejected with missing_node_type.

import { detectValueFormat } from '../workflow/format';
import { requiredClassesOfUiWorkflow } from '../workflow/ui/expand';

export interface ServerFacts {
  /** Stable key of the server (its name in comfyui.servers). */
  name: string;
  /** False when the probe failed (refused, timeout, HTML error page…). */
  reachable: boolean;
  /** Why it is unreachable, one sentence (already redacted). */
  error?: string;
  /** Prompts running + pending (`exec_info.queue_remaining`); undefined when unknown. */
  queueRemaining?: number;
  /** Workflow classes the server does not know; undefined when that could not be checked. */
  missingClasses?: readonly string[];
  /** Probe round-trip in ms, a tie-breaker between equally busy servers. */
  latencyMs?: number;
}

export type SkipReason = 'unreachable' | 'missing-classes';

export interface DispatchChoice {
  /** The chosen server, or undefined when none is eligible. */
  chosen: ServerFacts | undefined;
  /** Every server that was not eligible, with why (for the message to the user). */
  skipped: { name: string; reason: SkipReason; detail: string }[];
  /** Eligible servers, best first. */
  ranking: ServerFacts[];
}

/**
 * Picks the eligible server with the smallest queue; ties go to the lower latency, then to the configured order
 * (the input order), so the choice is deterministic. An unknown queue length counts as busier than any known one.
 */
export function chooseLeastBusy(servers: readonly ServerFacts[]): DispatchChoice {
  const skipped: DispatchChoice['skipped'] = [];
  const eligible: { facts: ServerFacts; index: number }[] = [];
  servers.forEach((facts, index) => {
    if (!facts.reachable) {
      skipped.push({ name: facts.name, reason: 'unreachable', detail: facts.error ?? 'not reachable' });
      return;
    }
    if (facts.missingClasses && facts.missingClasses.length > 0) {
      skipped.push({ name: facts.name, reason: 'missing-classes', detail: facts.missingClasses.join(', ') });
      return;
    }
    eligible.push({ facts, index });
  });
  const queue = (f: ServerFacts) =>
    f.queueRemaining === undefined || !Number.isFinite(f.queueRemaining) ? Number.POSITIVE_INFINITY : Math.max(0, f.queueRemaining);
  const latency = (f: ServerFacts) => (f.latencyMs === undefined || !Number.isFinite(f.latencyMs) ? Number.POSITIVE_INFINITY : f.latencyMs);
  eligible.sort((a, b) => queue(a.facts) - queue(b.facts) || compareNumbers(latency(a.facts), latency(b.facts)) || a.index - b.index);
  const ranking = eligible.map((e) => e.facts);
  return { chosen: ranking[0], skipped, ranking };
}

function compareNumbers(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The classes a prompt (API format) uses, deduplicated, for the per-server class check. */
export function classesOfPrompt(prompt: unknown): string[] {
  const out = new Set<string>();
  if (typeof prompt === 'object' && prompt !== null && !Array.isArray(prompt)) {
    for (const node of Object.values(prompt)) {
      const c = typeof node === 'object' && node !== null ? (node as { class_type?: unknown }).class_type : undefined;
      if (typeof c === 'string') out.add(c);
    }
  }
  return [...out];
}

/**
 * The server classes a workflow file needs, in any format: API prompts and /prompt bodies by `class_type`; UI
 * workflows through the shared expansion (`requiredClassesOfUiWorkflow`): classes inside subgraphs and legacy group
 * nodes count, frontend-only types (Note, PrimitiveNode, Reroute, SetNode/GetNode, rgthree's…), subgraph and group
 * instances, muted (mode 2) and bypassed (mode 4) nodes do not, since none of them is sent.
 */
export function classesOfWorkflow(root: unknown): string[] {
  switch (detectValueFormat(root)) {
    case 'ui':
      return requiredClassesOfUiWorkflow(root);
    case 'request':
      return classesOfPrompt((root as { prompt: unknown }).prompt);
    case 'api':
      return classesOfPrompt(root);
    default:
      return [];
  }
}
