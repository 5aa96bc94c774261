// Driver test helpers: fakes made and removed per suite, the calls they saw, and a
// VmSpec with its files in the fake's temp directory.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VmSpec } from '../../../lib/hypervisor/virtualbox/spec.js';
import { installFakeVBoxManage, type FakeVBox } from '../../fakes/vboxmanage/install.js';

let n = 0;
const fakes: FakeVBox[] = [];

/** A fake VBoxManage of `version` (default 7.0), with the fake's default guest; removed by removeFakes(). */
export function newFake(version?: string): FakeVBox {
  const fake = installFakeVBoxManage(version ? { version } : {});
  fakes.push(fake);
  return fake;
}

export function removeFakes(): void {
  for (const fake of fakes.splice(0)) fake.remove();
}

/** The calls of one VBoxManage command the fake saw, in order. */
export const callsOf = (fake: FakeVBox, command: string) => fake.state().calls.filter((c) => c.argv[0] === command);

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
