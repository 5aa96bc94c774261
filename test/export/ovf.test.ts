// The OVF descriptor field by field (no copy of the DMTF schema can be had offline in
// CI): envelope namespaces, references, disk, network, OS, and each hardware Item,
// with the rasd fields in the CIM schema's alphabetical order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cimOsType, colonMac, macFor, ovfDescriptor, ovfManifest, VMDK_STREAM_OPTIMIZED, type OvfInput } from '../../lib/export/ovf.js';
import { child, fields, parseXml, type XmlElement } from './xml.js';

const INPUT: OvfInput = {
  name: 'debian-12',
  cpus: 2,
  memoryMiB: 2048,
  osType: 'Debian_64',
  disk: { href: 'debian-12-disk001.vmdk', fileBytes: 123_456_789, capacityBytes: 20 * 1024 ** 3 },
  mac: '080027ABCDEF',
};

const RASD = 'rasd:';
const items = (vs: XmlElement) => child(vs, 'VirtualHardwareSection').children.filter((c) => c.name === 'Item');
const byType = (vs: XmlElement, type: number) => items(vs).find((i) => child(i, 'rasd:ResourceType').text === String(type))!;
const value = (item: XmlElement, name: string) => child(item, `${RASD}${name}`).text;

test('the envelope: OVF 1.0 with the DMTF namespaces', () => {
  const env = parseXml(ovfDescriptor(INPUT));
  assert.is(env.name, 'Envelope');
  assert.is(env.attributes['ovf:version'], '1.0');
  assert.is(env.attributes['xmlns'], 'http://schemas.dmtf.org/ovf/envelope/1');
  assert.is(env.attributes['xmlns:ovf'], 'http://schemas.dmtf.org/ovf/envelope/1');
  assert.is(env.attributes['xmlns:rasd'], 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData');
  assert.is(env.attributes['xmlns:vssd'], 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData');
  // References, sections, then the virtual system, in the order DSP0243 defines.
  assert.equal(env.children.map((c) => c.name), ['References', 'DiskSection', 'NetworkSection', 'VirtualSystem']);
});

test('the disk: file reference with its size, capacity, streamOptimized format', () => {
  const env = parseXml(ovfDescriptor(INPUT));
  const file = child(child(env, 'References'), 'File');
  assert.equal(file.attributes, { 'ovf:id': 'file1', 'ovf:href': 'debian-12-disk001.vmdk', 'ovf:size': '123456789' });
  const disk = child(child(env, 'DiskSection'), 'Disk');
  assert.equal(disk.attributes, {
    'ovf:capacity': String(20 * 1024 ** 3),
    'ovf:diskId': 'vmdisk1',
    'ovf:fileRef': 'file1',
    'ovf:format': VMDK_STREAM_OPTIMIZED,
  });
  assert.is(child(child(env, 'DiskSection'), 'Info').text.length > 0, true, 'every section has an Info');
});

test('one network, NAT, which the NIC connects to', () => {
  const env = parseXml(ovfDescriptor(INPUT));
  const network = child(child(env, 'NetworkSection'), 'Network');
  assert.is(network.attributes['ovf:name'], 'NAT');
  assert.is(value(byType(child(env, 'VirtualSystem'), 10), 'Connection'), 'NAT');
});

test('the virtual system: id, name, OS (CIM and VirtualBox), hardware family', () => {
  const vs = child(parseXml(ovfDescriptor(INPUT)), 'VirtualSystem');
  assert.is(vs.attributes['ovf:id'], 'debian-12');
  assert.is(child(vs, 'Name').text, 'debian-12');
  const os = child(vs, 'OperatingSystemSection');
  assert.is(os.attributes['ovf:id'], '96');
  assert.is(child(os, 'vbox:OSType').text, 'Debian_64');
  assert.is(child(os, 'vbox:OSType').attributes['ovf:required'], 'false');
  const system = child(child(vs, 'VirtualHardwareSection'), 'System');
  assert.equal(fields(system), [
    ['vssd:ElementName', 'Virtual Hardware Family'],
    ['vssd:InstanceID', '0'],
    ['vssd:VirtualSystemIdentifier', 'debian-12'],
    ['vssd:VirtualSystemType', 'vmx-07'],
  ]);
});

test('hardware: CPUs, memory in MiB, IDE controller, the disk on it, an E1000 NIC', () => {
  const vs = child(parseXml(ovfDescriptor(INPUT)), 'VirtualSystem');
  assert.equal(items(vs).map((i) => value(i, 'ResourceType')), ['3', '4', '5', '17', '10']);
  assert.is(value(byType(vs, 3), 'VirtualQuantity'), '2');
  const memory = byType(vs, 4);
  assert.is(value(memory, 'VirtualQuantity'), '2048');
  assert.is(value(memory, 'AllocationUnits'), 'byte * 2^20');
  const ide = byType(vs, 5);
  assert.is(value(ide, 'ResourceSubType'), 'PIIX4');
  const disk = byType(vs, 17);
  assert.is(value(disk, 'HostResource'), 'ovf:/disk/vmdisk1');
  assert.is(value(disk, 'Parent'), value(ide, 'InstanceID'), 'the disk hangs off the IDE controller');
  assert.is(value(disk, 'AddressOnParent'), '0');
  const nic = byType(vs, 10);
  assert.is(value(nic, 'ResourceSubType'), 'E1000');
  assert.is(value(nic, 'Address'), '08:00:27:ab:cd:ef');
  assert.is(value(nic, 'AutomaticAllocation'), 'true');
  // InstanceIDs are unique.
  const ids = items(vs).map((i) => value(i, 'InstanceID'));
  assert.is(new Set(ids).size, ids.length);
});

test('every Item has ElementName and InstanceID, fields in the CIM schema order (alphabetical)', () => {
  const vs = child(parseXml(ovfDescriptor(INPUT)), 'VirtualSystem');
  for (const item of items(vs)) {
    const names = fields(item).map(([n]) => n);
    assert.ok(names.every((n) => n.startsWith(RASD)), names.join());
    assert.equal(names, [...names].sort(), `out of order: ${names.join(', ')}`);
    assert.ok(names.includes('rasd:ElementName') && names.includes('rasd:InstanceID'));
  }
});

test('one CPU is singular; text is escaped', () => {
  const xml = ovfDescriptor({ ...INPUT, cpus: 1, osType: 'We<ird>&"' });
  const vs = child(parseXml(xml), 'VirtualSystem');
  assert.is(value(byType(vs, 3), 'ElementName'), '1 virtual CPU');
  assert.is(child(child(vs, 'OperatingSystemSection'), 'vbox:OSType').text, 'We<ird>&"');
});

const osTypes: [string, number][] = [
  ['Debian_64', 96],
  ['Debian', 95],
  ['Ubuntu_64', 94],
  ['RedHat_64', 80],
  ['Linux26_64', 100],
  ['Linux_64', 101],
  ['Fedora_64', 101],
  ['Other_64', 102],
  ['Other', 1],
  ['Windows2019_64', 102],
  ['Solaris', 1],
];
for (const [osType, cim] of osTypes) {
  test(`cimOsType(${osType}) = ${cim}`, () => assert.is(cimOsType(osType), cim));
}

test('macFor: VirtualBox OUI, 12 uppercase hex digits, stable per name and different across names', () => {
  const mac = macFor('debian-12');
  assert.match(mac, /^080027[0-9A-F]{6}$/);
  assert.is(macFor('debian-12'), mac);
  assert.is.not(macFor('debian-13'), mac);
  assert.is(colonMac('080027ABCDEF'), '08:00:27:ab:cd:ef');
});

test('ovfManifest: one SHA256(name)= line per file, in order', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  assert.is(ovfManifest([{ name: 'x.ovf', sha256: a }, { name: 'x-disk001.vmdk', sha256: b }]), `SHA256(x.ovf)= ${a}\nSHA256(x-disk001.vmdk)= ${b}\n`);
});

test.run();
