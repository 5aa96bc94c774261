// The OVF 1.0 descriptor (DMTF DSP0243) of a one-disk virtual machine, as a pure
// function. Written for both VirtualBox's and VMware's importers: hardware family
// vmx-07 (VMware refuses "virtualbox-*" families; VirtualBox accepts any), an IDE
// (PIIX4) disk controller, an E1000 NIC on the NAT network (Vagrant's VirtualBox
// provider needs adapter 1 on NAT), a streamOptimized VMDK, and VirtualBox's own
// OS type next to the CIM one. Inside each Item the rasd elements are in the
// alphabetical order the CIM schema's sequence requires.
import { createHash } from 'node:crypto';
import { own } from '../util/own.js';

export interface OvfInput {
  /** The template name: the virtual system's id and name. */
  name: string;
  cpus: number;
  memoryMiB: number;
  /** VirtualBox OS type id, e.g. Debian_64 (machine.virtualbox.os_type). */
  osType: string;
  disk: {
    /** The member name of the VMDK next to the descriptor. */
    href: string;
    /** Bytes of the VMDK file. */
    fileBytes: number;
    /** Bytes the guest sees. */
    capacityBytes: number;
  };
  /** The NIC's MAC address, 12 hex digits without separators (macFor()). */
  mac: string;
}

export const VMDK_STREAM_OPTIMIZED = 'http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized';

/** CIM_OperatingSystem OSType values for VirtualBox OS type ids. */
const CIM_OS: Record<string, number> = {
  Other: 1,
  Other_64: 102,
  Linux: 36,
  Linux_64: 101,
  Linux26: 99,
  Linux26_64: 100,
  Debian: 95,
  Debian_64: 96,
  Ubuntu: 93,
  Ubuntu_64: 94,
  RedHat: 79,
  RedHat_64: 80,
  OpenSUSE: 82,
  OpenSUSE_64: 83,
  FreeBSD: 42,
  FreeBSD_64: 78,
  // Distributions CIM has no value of its own for.
  ArchLinux_64: 101,
  Fedora_64: 101,
  Gentoo_64: 101,
  Oracle_64: 101,
};

export function cimOsType(osType: string): number {
  return own(CIM_OS, osType) ?? (osType.endsWith('_64') ? 102 : 1);
}

/**
 * A stable MAC for the template: VirtualBox's OUI 08:00:27 and three bytes of the
 * name's SHA-256. Stable, so a rebuilt box keeps the base_mac users may have noted.
 */
export function macFor(name: string): string {
  return `080027${createHash('sha256').update(name).digest('hex').slice(0, 6)}`.toUpperCase();
}

/** "080027AABBCC" -> "08:00:27:aa:bb:cc", the form rasd:Address takes. */
export function colonMac(mac: string): string {
  return mac.toLowerCase().match(/../g)!.join(':');
}

export function ovfDescriptor(input: OvfInput): string {
  const name = xml(input.name);
  const os = xml(input.osType);
  const cpus = input.cpus;
  const item = (fields: [string, string | number][]) =>
    ['      <Item>', ...fields.map(([k, v]) => `        <rasd:${k}>${typeof v === 'number' ? v : xml(v)}</rasd:${k}>`), '      </Item>'];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Envelope ovf:version="1.0" xml:lang="en-US"',
    '    xmlns="http://schemas.dmtf.org/ovf/envelope/1"',
    '    xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"',
    '    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"',
    '    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"',
    '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '    xmlns:vbox="http://www.virtualbox.org/ovf/machine">',
    '  <References>',
    `    <File ovf:id="file1" ovf:href="${xml(input.disk.href)}" ovf:size="${input.disk.fileBytes}"/>`,
    '  </References>',
    '  <DiskSection>',
    '    <Info>Virtual disks</Info>',
    `    <Disk ovf:capacity="${input.disk.capacityBytes}" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="${VMDK_STREAM_OPTIMIZED}"/>`,
    '  </DiskSection>',
    '  <NetworkSection>',
    '    <Info>Logical networks</Info>',
    '    <Network ovf:name="NAT">',
    '      <Description>NAT network of the first adapter</Description>',
    '    </Network>',
    '  </NetworkSection>',
    `  <VirtualSystem ovf:id="${name}">`,
    '    <Info>A virtual machine built by kiln</Info>',
    `    <Name>${name}</Name>`,
    `    <OperatingSystemSection ovf:id="${cimOsType(input.osType)}">`,
    '      <Info>The guest operating system</Info>',
    `      <Description>${os}</Description>`,
    `      <vbox:OSType ovf:required="false">${os}</vbox:OSType>`,
    '    </OperatingSystemSection>',
    '    <VirtualHardwareSection>',
    '      <Info>Virtual hardware requirements</Info>',
    '      <System>',
    '        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>',
    '        <vssd:InstanceID>0</vssd:InstanceID>',
    `        <vssd:VirtualSystemIdentifier>${name}</vssd:VirtualSystemIdentifier>`,
    '        <vssd:VirtualSystemType>vmx-07</vssd:VirtualSystemType>',
    '      </System>',
    ...item([
      ['Caption', `${cpus} virtual CPU${cpus === 1 ? '' : 's'}`],
      ['Description', 'Number of virtual CPUs'],
      ['ElementName', `${cpus} virtual CPU${cpus === 1 ? '' : 's'}`],
      ['InstanceID', 1],
      ['ResourceType', 3],
      ['VirtualQuantity', cpus],
    ]),
    ...item([
      ['AllocationUnits', 'byte * 2^20'],
      ['Caption', `${input.memoryMiB} MB of memory`],
      ['Description', 'Memory Size'],
      ['ElementName', `${input.memoryMiB} MB of memory`],
      ['InstanceID', 2],
      ['ResourceType', 4],
      ['VirtualQuantity', input.memoryMiB],
    ]),
    ...item([
      ['Address', 0],
      ['Caption', 'ideController0'],
      ['Description', 'IDE Controller'],
      ['ElementName', 'ideController0'],
      ['InstanceID', 3],
      ['ResourceSubType', 'PIIX4'],
      ['ResourceType', 5],
    ]),
    ...item([
      ['AddressOnParent', 0],
      ['Caption', 'disk1'],
      ['Description', 'Disk Image'],
      ['ElementName', 'disk1'],
      ['HostResource', 'ovf:/disk/vmdisk1'],
      ['InstanceID', 4],
      ['Parent', 3],
      ['ResourceType', 17],
    ]),
    ...item([
      ['Address', colonMac(input.mac)],
      ['AutomaticAllocation', 'true'],
      ['Caption', 'Ethernet adapter on NAT'],
      ['Connection', 'NAT'],
      ['Description', 'E1000 ethernet adapter on NAT'],
      ['ElementName', 'Ethernet adapter on NAT'],
      ['InstanceID', 5],
      ['ResourceSubType', 'E1000'],
      ['ResourceType', 10],
    ]),
    '    </VirtualHardwareSection>',
    '  </VirtualSystem>',
    '</Envelope>',
    '',
  ].join('\n');
}

/** The package manifest (.mf): one "SHA256(member)= hex" line per file, as OVF 1.x defines it. */
export function ovfManifest(files: { name: string; sha256: string }[]): string {
  return files.map((f) => `SHA256(${f.name})= ${f.sha256}\n`).join('');
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}
