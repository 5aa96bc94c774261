// A layer's saved machine state (state.zst), checked before a build restores it: the
// record must say it has one, and the file must still be the one whose sha256 was
// recorded. A truncated or altered state would either fail to load or, worse, load a
// machine whose memory no longer matches its disk; either way the build boots instead.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSha256 } from './file-digests.js';
import { STATE_FILE } from './layout.js';
import type { StoredLayer } from './store.js';

export type UsableState = { state: string; fingerprint: Record<string, string> };

/** The layer's state when it is intact, `why` when it has one that must not be used, undefined when it kept none. */
export async function verifySavedState(layer: StoredLayer, signal?: AbortSignal): Promise<UsableState | { why: string } | undefined> {
  const memory = layer.record.memory;
  if (!memory) return undefined;
  const state = join(layer.dir, STATE_FILE);
  const info = await stat(state).catch(() => undefined);
  const named = `the saved memory of layer ${layer.id} (${layer.record.stage})`;
  if (!info) return { why: `${named} is missing (${state})` };
  if (info.size !== memory.bytes) return { why: `${named} is ${info.size} bytes, its record says ${memory.bytes} (truncated or replaced)` };
  if ((await fileSha256(state, signal)) !== memory.sha256) return { why: `${named} does not match its recorded sha256 (corrupt)` };
  return { state, fingerprint: memory.fingerprint };
}
