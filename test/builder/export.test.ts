// The export step on a real (small) disk with real qemu-img: every format written once
// under its final name with its digest, and the OVA from the VM's own appliance export
// when the VM has that capability.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { exportImages } from '../../lib/builder/steps/export.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';
import { memoryLog } from '../../lib/log/log.js';
import type { Template } from '../../lib/template/types.js';
import { fakeBuildVm } from '../fakes/build-vm.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

const MACHINE = { cpus: 1, memory_mib: 256, virtualbox: { os_type: 'Other_64' } } as Template['machine'];
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function exportDisk(formats: Template['output']['formats'], vm = fakeBuildVm()) {
  const dir = await scratch({});
  const work = join(dir, 'out', '.kiln-work');
  await mkdir(work, { recursive: true });
  const disk = join(work, 'disk.qcow2');
  await createDisk(disk, 16 << 20, 'qcow2');
  const ctx = { outputDir: join(dir, 'out'), workDir: work, disk: { path: disk, format: 'qcow2' }, vm, log: memoryLog(), exports: [] } as unknown as BuildContext;
  await exportImages({ name: 'box', output: { directory: ctx.outputDir, formats, compress: false }, machine: MACHINE }).run(ctx, new AbortController().signal);
  return ctx;
}

test('qcow2, raw and an OVA: each written under its final name, with size and sha256', async () => {
  const ctx = await exportDisk(['qcow2', 'raw', 'ova']);
  assert.equal(ctx.exports.map((e) => [e.file, e.format]), [['box.qcow2', 'qcow2'], ['box.raw', 'raw'], ['box.ova', 'ova']]);
  for (const entry of ctx.exports) {
    const path = join(ctx.outputDir, entry.file);
    assert.is(entry.sha256, sha256(path), entry.file);
    assert.is(entry.bytes, readFileSync(path).length, entry.file);
  }
  assert.equal(readdirSync(ctx.outputDir).filter((f) => f.includes('partial')), []);
  // The OVA's streamOptimized VMDK was only for the package: gone from the work dir.
  assert.equal(readdirSync(ctx.workDir!).filter((f) => f.endsWith('.vmdk')), []);
});

test('a VM that exports appliances itself makes the OVA; kiln writes no OVF of its own', async () => {
  const asked: unknown[] = [];
  const vm = fakeBuildVm({
    capabilities: {
      appliance: {
        export: async (options) => {
          asked.push(options);
          await writeFile(options.output, 'appliance');
          return [options.output];
        },
        baseMac: async () => '080027000001',
      },
    },
  });
  const ctx = await exportDisk(['ova'], vm);
  assert.equal(asked, [{ output: join(ctx.outputDir, 'box.ova'), manifest: true, vmName: 'box' }]);
  assert.equal(ctx.exports, [{ file: 'box.ova', format: 'ova', bytes: 9, sha256: sha256(join(ctx.outputDir, 'box.ova')) }]);
  assert.not.ok(existsSync(join(ctx.workDir!, 'box-disk001.vmdk')));
});

test.run();
