// A VmSpec for tests, with its files in the fake's temp directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VmSpec } from '../../../lib/hypervisor/virtualbox/spec.js';
import type { FakeVBox } from '../../fakes/vboxmanage/install.js';

let n = 0;

export function testSpec(fake: FakeVBox, over: Partial<VmSpec> = {}): VmSpec {
  const name = `kiln-test-${process.pid}-${n++}`;
  const baseFolder = join(fake.dir, 'vbox');
  const iso = join(fake.dir, 'installer.iso');
  writeFileSync(iso, 'not really an ISO');
  return {
    name,
    osType: 'Debian_64',
    baseFolder,
    cpus: 2,
    memoryMiB: 1024,
    firmware: 'bios',
    chipset: 'piix3',
    graphics: 'vmsvga',
    vramMiB: 16,
    nicType: 'virtio',
    sshForward: { hostPort: 40022, guestPort: 22 },
    serialLog: join(fake.dir, `${name}-serial.log`),
    disk: { path: join(baseFolder, name, `${name}.vdi`), sizeMiB: 2048, interface: 'sata' },
    iso,
    modifyvm: [],
    ...over,
  };
}
