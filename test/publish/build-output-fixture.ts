// Test helper: what a kiln build with output.vagrant leaves in its output directory, made
// without QEMU: a small empty qcow2 (qemu-img create) packed by writeBox into a real
// libvirt box, and a manifest.json like the manifest step writes.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeBox } from '../../lib/export/box.js';
import type { Manifest } from '../../lib/builder/steps/manifest.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';

export interface FixtureOutput {
  dir: string;
  box: string;
  sha256: string;
  bytes: number;
}

/**
 * DIR with NAME.libvirt.box and manifest.json. `label` goes into the box's Vagrantfile,
 * so boxes made with different labels differ (and so do their checksums).
 */
export async function fixtureOutput(dir: string, label: string, name = 'demo'): Promise<FixtureOutput> {
  await mkdir(dir, { recursive: true });
  const disk = join(dir, '.disk.qcow2');
  await createDisk(disk, 64 << 20, 'qcow2');
  const file = `${name}.libvirt.box`;
  const box = await writeBox({
    destination: join(dir, file),
    name,
    provider: 'libvirt',
    disk,
    virtualBytes: 64 << 20,
    layout: 'v1',
    compression: 1,
    vagrantfile: `# ${label}\n`,
    machine: { cpus: 1, memoryMiB: 512, osType: 'Debian_64' },
    mtime: 1_700_000_000,
  });
  await rm(disk);
  const manifest: Manifest = {
    name,
    kiln_version: '0.1.0',
    template: { file: 'kiln.yaml', sha256: '0'.repeat(64) },
    files: [{ file, format: 'vagrant-libvirt', bytes: box.bytes, sha256: box.sha256 }],
    vagrant: { box: file, provider: 'libvirt', checksum_type: 'sha256', checksum: box.sha256 },
    steps: [],
    finished: new Date().toISOString(),
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, box: join(dir, file), sha256: box.sha256, bytes: box.bytes };
}
