// What goes into a Vagrant box besides the disk, as pure functions: the member list,
// metadata.json and the Vagrantfile, per provider.
//
// Vagrant core only requires metadata.json with "provider". vagrant-libvirt 0.11 reads
// two layouts: v1 {"format":"qcow2","virtual_size":GiB} with the disk as box.img (what
// its own packager writes by default), and v2 {"disks":[{"path":...}]}, which it still
// calls experimental. VirtualBox boxes are an OVF export plus a Vagrantfile that sets
// config.vm.base_mac to the NAT adapter's MAC, which Vagrant puts back after import.
import type { VagrantOutput } from '../template/types.js';

const GIB = 1024 ** 3;

/** Member names inside the box; the disk's name is fixed by each provider's convention. */
export const BOX_MEMBERS = {
  libvirt: { disk: 'box.img' },
  virtualbox: { ovf: 'box.ovf', disk: 'box-disk001.vmdk' },
} as const;

export function libvirtMetadata(layout: VagrantOutput['layout'], virtualBytes: number): object {
  if (layout === 'v2') return { provider: 'libvirt', format: 'qcow2', disks: [{ path: BOX_MEMBERS.libvirt.disk }] };
  // vagrant-libvirt sizes the storage volume from this, in whole GiB (rounded up, as its packager does).
  return { provider: 'libvirt', format: 'qcow2', virtual_size: Math.ceil(virtualBytes / GIB) };
}

export function virtualboxMetadata(): object {
  return { provider: 'virtualbox' };
}

export function metadataJson(metadata: object): string {
  return `${JSON.stringify(metadata, null, 2)}\n`;
}

export type VagrantfileInput = {
  name: string;
  /** The user's output.vagrant.vagrantfile, appended as written. */
  extra?: string;
} & ({ provider: 'libvirt' } | { provider: 'virtualbox'; /** The NAT adapter's MAC in the OVF, 12 hex digits. */ baseMac: string });

export function boxVagrantfile(input: VagrantfileInput): string {
  const body =
    input.provider === 'libvirt'
      ? ['  config.vm.provider :libvirt do |libvirt|', '    libvirt.driver = "kvm"', '  end']
      : [`  config.vm.base_mac = "${input.baseMac}"`];
  const lines = [
    `# Vagrantfile of the ${input.name} box (${input.provider}), written by kiln.`,
    '# Settings here are defaults; a project Vagrantfile overrides them.',
    'Vagrant.configure("2") do |config|',
    ...body,
    'end',
    '',
  ];
  if (input.extra !== undefined) {
    lines.push('# From output.vagrant.vagrantfile:', input.extra.endsWith('\n') ? input.extra.slice(0, -1) : input.extra, '');
  }
  return lines.join('\n');
}
