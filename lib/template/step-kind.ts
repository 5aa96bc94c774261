import type { PostProcessor, Provisioner } from './types.js';

/** The kind a provision or post_process item names: kiln's own type, or a plugin kind's name. */
export const stepKind = (p: Provisioner | PostProcessor): string => (p.type === 'plugin' ? p.kind : p.type);
