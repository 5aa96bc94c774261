// Test helper: a build output for the registry tests, made without QEMU: the libvirt box
// of build-output-fixture.ts plus a qcow2 disk (qemu-img create, then bytes written into
// it with qemu-io so the disk is not all zeros), both in manifest.json.
import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Manifest } from '../../lib/builder/steps/manifest.js';
import { createDisk } from '../../lib/hypervisor/qemu/qemu-img.js';
import { hashFile } from '../../lib/util/hash-file.js';
import { fixtureOutput } from './build-output-fixture.js';

export interface OciFixture {
  dir: string;
  /** file name -> sha256 hex, as the manifest records them. */
  files: Record<string, string>;
  qcow2: string;
}

export async function ociFixture(dir: string, label: string): Promise<OciFixture> {
  await fixtureOutput(dir, label);
  const qcow2 = join(dir, 'demo.qcow2');
  await createDisk(qcow2, 64 << 20, 'qcow2');
  await promisify(execFile)('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x${label.length.toString(16)} 0 300k`, qcow2]);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  const sha256 = await hashFile(qcow2, 'sha256');
  manifest.files.push({ file: 'demo.qcow2', format: 'qcow2', bytes: (await stat(qcow2)).size, sha256 });
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, files: Object.fromEntries(manifest.files.map((f) => [f.file, f.sha256])), qcow2 };
}
