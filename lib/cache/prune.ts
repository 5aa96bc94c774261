// Keeping the cache under its size limit. Whole subtrees go, least recently used first:
// a layer is as recent as the latest use of anything built on it, and removing a layer
// removes what stands on it (those could no longer boot). Layers a running build relies
// on, and everything under them, are never removed.
import { CACHE_FORMAT } from './keys.js';
import type { LayerStore, LeaseOwner, Leftover, StoredLayer } from './store.js';
import { withAncestors, withDescendants } from './store.js';

export interface PruneCandidate {
  id: string;
  parent: string | null;
  bytes: number;
  lastUsed: number;
}

/** Ids to remove, in order, so that what is left fits in `limitBytes` (or nothing else can go). Pure. */
export function choosePruneVictims(layers: readonly PruneCandidate[], limitBytes: number, keep: Iterable<string>): string[] {
  const byId = new Map(layers.map((l) => [l.id, l]));
  // Asked for every layer in every round: a children map keeps each answer O(subtree).
  const children = new Map<string, PruneCandidate[]>();
  for (const l of layers) if (l.parent !== null) children.set(l.parent, [...(children.get(l.parent) ?? []), l]);
  const subtree = (id: string): PruneCandidate[] => {
    const out: PruneCandidate[] = [];
    for (const stack = [byId.get(id)!]; stack.length; ) {
      const l = stack.pop()!;
      out.push(l);
      stack.push(...(children.get(l.id) ?? []));
    }
    return out;
  };
  const depth = (l: PruneCandidate): number => {
    let d = 0;
    for (let p = l.parent; p !== null && byId.has(p); p = byId.get(p)!.parent) d++;
    return d;
  };
  const shielded = withAncestors(layers, keep);

  let total = layers.reduce((sum, l) => sum + l.bytes, 0);
  const removed = new Set<string>();
  const victims: string[] = [];
  while (total > limitBytes) {
    let best: { layer: PruneCandidate; recent: number; depth: number } | undefined;
    for (const layer of layers) {
      if (removed.has(layer.id) || shielded.has(layer.id)) continue;
      const recent = Math.max(...subtree(layer.id).map((l) => l.lastUsed));
      const d = depth(layer);
      if (!best || recent < best.recent || (recent === best.recent && d > best.depth)) best = { layer, recent, depth: d };
    }
    if (!best) break;
    for (const l of subtree(best.layer.id)) {
      if (removed.has(l.id)) continue;
      removed.add(l.id);
      victims.push(l.id);
      total -= l.bytes;
    }
  }
  return victims;
}

export interface PruneResult {
  removed: StoredLayer[];
  /** Directories of builds that died before finishing a layer. */
  leftovers: Leftover[];
  freedBytes: number;
  keptBytes: number;
}

/**
 * Removes leftovers of dead builds, layers that can never be used again (their parent
 * is gone, or another cache format wrote them), then least recently used layers until
 * the rest fits in `limitBytes`. `keep`: layers this build relies on; `ownLease`: its lease.
 */
export async function pruneStore(store: LayerStore, limitBytes: number, keep: Iterable<string> = [], ownLease: LeaseOwner = process.pid): Promise<PruneResult> {
  const { layers, leftovers } = await store.list();
  const dead = leftovers.filter((l) => !l.ownerAlive);
  await store.remove(dead.map((l) => l.id));

  const known = new Set(layers.map((l) => l.id));
  const junkRoots = layers.filter((l) => l.record.format !== CACHE_FORMAT || (l.record.parent !== null && !known.has(l.record.parent)));
  const protectedIds = withAncestors(layers, [...keep, ...(await store.leasedIds(ownLease))]);
  const junk = [...withDescendants(layers, junkRoots.map((l) => l.id))].filter((id) => !protectedIds.has(id));
  const rest = layers.filter((l) => !junk.includes(l.id));
  const victims = choosePruneVictims(
    rest.map((l) => ({ id: l.id, parent: l.record.parent, bytes: l.bytes, lastUsed: l.lastUsed })),
    limitBytes,
    protectedIds,
  );
  const gone = new Set([...junk, ...victims]);
  await store.remove(gone);
  const removed = layers.filter((l) => gone.has(l.id));
  const freedBytes = removed.reduce((s, l) => s + l.bytes, 0) + dead.reduce((s, l) => s + l.bytes, 0);
  const keptBytes = layers.filter((l) => !gone.has(l.id)).reduce((s, l) => s + l.bytes, 0);
  return { removed, leftovers: dead, freedBytes, keptBytes };
}
