// Ids the client mints. Recent servers ([N]) reject a prompt_id that is not str(uuid.UUID(x)), i.e. a canonical
// lowercase UUID, so we always produce exactly that form.
import { randomUUID } from 'node:crypto';

export function newPromptId(): string {
  return randomUUID().toLowerCase();
}

/** A WebSocket clientId; any string works, a UUID keeps it unique per editor window. */
export function newClientId(): string {
  return randomUUID().toLowerCase();
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `id` is accepted as a prompt_id by servers that validate it. @internal (tests of `newPromptId`) */
export function isCanonicalUuid(id: string): boolean {
  return CANONICAL_UUID.test(id);
}
