// The stage cache shared through a registry, as a build uses it: pull before planning
// (--cache-from), push after a successful build (--cache-to). Neither can fail a build:
// a registry that is down or refuses costs the time the shared cache would have saved,
// and says so. A pulled layer that does not match its digests is dropped and the stage
// runs; cancelling still cancels.
import { CancelledError, KilnError } from '../errors.js';
import type { PlannedStage } from '../cache/plan.js';
import type { LayerStore, StoredLayer } from '../cache/store.js';
import type { Log } from '../log/log.js';
import type { RegistryAccess } from '../oci/open-repository.js';
import { formatReference, type ImageReference } from '../oci/reference.js';
import { formatSize } from '../util/size.js';
import { pullChain } from './pull-chain.js';
import { pushLayers } from './push-layers.js';

export interface SharedCacheOptions {
  /** --cache-from: pull from here (read-only: nothing is pushed unless `to` is given too). */
  from?: ImageReference;
  /** --cache-to: push the build's layers here. */
  to?: ImageReference;
  access: RegistryAccess;
}

export async function pullShared(stages: readonly PlannedStage[], store: LayerStore, shared: SharedCacheOptions, log: Log): Promise<void> {
  if (!shared.from) return;
  const begin = performance.now();
  try {
    const { pulled, bytes } = await pullChain(stages, store, shared.from, shared.access, log);
    log.info(`cache: --cache-from ${formatReference(shared.from)}: ${pulled} layer(s) pulled, ${formatSize(bytes)} in ${Math.round((performance.now() - begin) / 1000)} s`);
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    log.warn(`cache: --cache-from ${formatReference(shared.from)} not used further: ${describe(error)}`);
  }
}

/** Pushes the chain that ends in `last` (its layers from the bottom up). */
export async function pushShared(last: StoredLayer | undefined, store: LayerStore, shared: SharedCacheOptions, log: Log): Promise<void> {
  if (!shared.to || !last) return;
  const { layers } = await store.list();
  const byId = new Map(layers.map((l) => [l.id, l]));
  const chain: StoredLayer[] = [];
  for (let layer: StoredLayer | undefined = byId.get(last.id); layer; layer = layer.record.parent ? byId.get(layer.record.parent) : undefined) chain.unshift(layer);
  try {
    const { pushed, present, bytes } = await pushLayers(chain, shared.to, shared.access, log);
    log.info(`cache: --cache-to ${formatReference(shared.to)}: ${pushed} layer(s) pushed (${formatSize(bytes)}), ${present} already there`);
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    log.warn(`cache: --cache-to ${formatReference(shared.to)} failed: ${describe(error)}`);
  }
}

const describe = (error: unknown) => (error instanceof KilnError && error.hint ? `${error.message} (${error.hint})` : (error as Error).message);
