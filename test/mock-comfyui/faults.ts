// Fault switches of the mock, settable at start (`options.faults`), at run time (`mock.setFaults`) and over HTTP
// (`POST /__mock/faults` with the JSON object; `GET` reads them back). Each switch models one way a real server or
// network misbehaves, so the client's error handling can be tested deliberately.

export interface Faults {
  /** Extra delay before every HTTP answer, in ms (added to options.latencyMs). */
  latencyMs?: number;
  /** Answer 500 with an HTML page (a reverse proxy's error page): everywhere, or on the listed path prefixes. */
  html500?: boolean | string[];
  /** Cut JSON bodies in half (Content-Length matches the cut body): everywhere, or on the listed path prefixes. */
  truncatedJson?: boolean | string[];
  /** Destroy every WebSocket (no close frame) when a run starts its first node (after its first progress_state). */
  dropSockets?: boolean;
  /** Accept WebSockets but never send anything on them. */
  silentSocket?: boolean;
  /** Send broken binary frames (short header, type 4 with a lying JSON length) with every preview. */
  malformedBinary?: boolean;
  /** Add this many synthetic node classes to /object_info (a huge dump). */
  hugeObjectInfo?: number;
  /** Add this many synthetic (successful) history entries, oldest first, when set. */
  syntheticHistory?: number;
  /** SaveImage/PreviewImage write images of this size instead of their input's (`noise`: incompressible pixels). */
  hugeImage?: { width: number; height: number; noise?: boolean };
  /** SaveImage/PreviewImage report extra outputs named with "../" and HTML, and write a file with an HTML name. */
  hostileFilenames?: boolean;
  /**
   * Behave like an authenticating reverse proxy: answer 401 (HTTP and WebSocket upgrade) unless the request carries
   * `header: value` (header names are case-insensitive) or, with `query`, `?query=value`.
   */
  requireAuth?: { header?: string; query?: string; value: string };
  /** Nodes of these classes raise when executed: class → exception message (and optional Python type). */
  failClasses?: Record<string, string | { message: string; type?: string }>;
}

export function matchesPath(setting: boolean | string[] | undefined, path: string): boolean {
  if (setting === true) return !path.startsWith('/__mock/');
  if (Array.isArray(setting)) return setting.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) || path.startsWith(`${p}?`));
  return false;
}

export const HTML_500 =
  '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n' +
  '<body><h1>500 Internal Server Error</h1><p>The proxy in front of ComfyUI failed. <script>alert("x")</script></p></body></html>\n';

/** A synthetic node class for the huge-dump fault, in the 0.3.64 format. */
export function syntheticNode(i: number): Record<string, unknown> {
  const name = `MockSynthetic${String(i).padStart(5, '0')}`;
  return {
    input: {
      required: {
        image: ['IMAGE', {}],
        amount: ['FLOAT', { default: 0.5, min: 0.0, max: 1.0, step: 0.01, tooltip: `Synthetic parameter ${i}.` }],
        mode: [['a', 'b', 'c', 'd'], {}],
      },
      optional: { note: ['STRING', { multiline: true, default: '' }] },
    },
    input_order: { required: ['image', 'amount', 'mode'], optional: ['note'] },
    output: ['IMAGE'],
    output_is_list: [false],
    output_name: ['IMAGE'],
    name,
    display_name: `Synthetic ${i}`,
    description: 'A synthetic node added by the hugeObjectInfo fault.',
    python_module: `custom_nodes.mock_synthetic_${Math.floor(i / 100)}`,
    category: `mock/synthetic/${Math.floor(i / 100)}`,
    output_node: false,
  };
}

/** True when `requireAuth` is set and the request lacks the credential (mock-only routes stay open). */
export function authRejected(
  setting: Faults['requireAuth'],
  path: string,
  headers: Record<string, string | string[] | undefined>,
  query: URLSearchParams,
): boolean {
  if (!setting || path.startsWith('/__mock/')) return false;
  if (setting.query !== undefined) return query.get(setting.query) !== setting.value;
  const got = headers[(setting.header ?? 'authorization').toLowerCase()];
  return (Array.isArray(got) ? got[0] : got) !== setting.value;
}
