// The names Packer gives a build's facts, for scripts, playbooks and manifests written
// for Packer (PACKER_BUILDER_TYPE, packer_builder_type, builder_type).
import type { Hypervisor } from '../template/types.js';

/** Packer's builder type for each hypervisor. */
export const PACKER_BUILDER_TYPE: Record<Hypervisor, string> = { qemu: 'qemu', virtualbox: 'virtualbox-iso' };
