// Helpers for the mock's own tests: talk to it with plain fetch and the undici WebSocket, never through src/core.
/** A copy of an /object_info dump whose checkpoint loaders list the given model files. */
export function withCheckpoints(objectInfo: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const copy = structuredClone(objectInfo) as Record<string, { input: { required: Record<string, unknown[]> } }>;
  for (const cls of ['CheckpointLoaderSimple', 'CheckpointLoader', 'ImageOnlyCheckpointLoader', 'unCLIPCheckpointLoader']) {
    const spec = copy[cls]?.input.required['ckpt_name'];
    if (spec && Array.isArray(spec[0])) spec[0] = [...names];
  }
  return copy;
}
