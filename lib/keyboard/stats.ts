// Figures about a parsed boot command, so a build can report how long typing takes.

import type { BootAction } from './actions.js';

/** Key presses, i.e. batches the driver sends, each followed by boot.key_interval. */
export function countKeyPresses(actions: readonly BootAction[]): number {
  return actions.filter((a) => a.kind === 'keys').length;
}
