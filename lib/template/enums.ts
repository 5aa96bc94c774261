// The closed sets of words a template takes, once: the schema checks them (schema.ts)
// and the template types name them (types.ts).
export const HYPERVISORS = ['qemu', 'virtualbox'] as const;
export const ACCELS = ['auto', 'kvm', 'hvf', 'whpx', 'tcg'] as const;
/** The x86-64 micro-architecture levels a guest can require (glibc-hwcaps names). */
export const CPU_LEVELS = ['x86-64', 'x86-64-v2', 'x86-64-v3'] as const;
export const FIRMWARES = ['bios', 'efi'] as const;
/** vhd: fixed, for Azure; vmdk-stream: streamOptimized, for AWS and vSphere; gce: disk.raw in a tar.gz, for Compute Engine. */
export const DISK_FORMATS = ['qcow2', 'raw', 'vmdk', 'vmdk-stream', 'vdi', 'vhdx', 'vhd', 'gce', 'ova'] as const;
export const CHECKSUM_TYPES = ['sha256', 'sha512', 'md5', 'sha1'] as const;
export const COMPRESS_FORMATS = ['tar.gz', 'gz', 'zst'] as const;
export const VAGRANT_PROVIDERS = ['libvirt', 'virtualbox'] as const;

export type Hypervisor = (typeof HYPERVISORS)[number];
export type Accel = (typeof ACCELS)[number];
export type CpuLevel = (typeof CPU_LEVELS)[number];
export type Firmware = (typeof FIRMWARES)[number];
export type DiskFormat = (typeof DISK_FORMATS)[number];
export type ChecksumType = (typeof CHECKSUM_TYPES)[number];
export type CompressFormat = (typeof COMPRESS_FORMATS)[number];
export type VagrantProvider = (typeof VAGRANT_PROVIDERS)[number];
