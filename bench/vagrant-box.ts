// Box packaging for `npm run bench`: kiln's own box step in the demo build, and kiln's
// box writer against Packer's vagrant post-processor on the very same qcow2 (the one
// Packer's qemu builder made), both at gzip level 6.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { Manifest } from '../lib/builder/steps/manifest.js';
import { writeBox } from '../lib/export/box.js';
import { imageInfo } from '../lib/hypervisor/qemu/qemu-img.js';
import { packerLogSpan, seconds } from './measure.js';

export const BOX_LEVEL = 6;

/** Adds `output.vagrant` (libvirt) to the benchmark's copy of the demo template. */
export async function withLibvirtBox(templateFile: string): Promise<void> {
  const doc = parseDocument(await readFile(templateFile, 'utf8'));
  doc.setIn(['output', 'vagrant'], { provider: 'libvirt', compression: BOX_LEVEL });
  await writeFile(templateFile, doc.toString());
}

/** The box line of a kiln demo build, from its manifest. */
export function kilnBoxLine(manifest: Manifest): string {
  const step = manifest.steps.find((s) => s.name === 'vagrant-box');
  const box = manifest.files.find((f) => f.format.startsWith('vagrant-'));
  if (!step || !box) return '  vagrant box: not built';
  return `  vagrant box: ${box.file} ${mib(box.bytes)} in ${seconds(step.ms)} (gzip level ${BOX_LEVEL})`;
}

/** The post-processor the Packer template gets: a libvirt box, keeping the qcow2 for kiln to pack too. */
export function packerVagrantPostProcessor(output: string): object {
  return { type: 'vagrant', compression_level: BOX_LEVEL, keep_input_artifact: true, output };
}

export interface BoxComparison {
  packer: { ms?: number; bytes: number };
  kiln: { ms: number; bytes: number };
}

/** Packer's post-processor time (from its log, 1 s resolution) and size, then kiln's writer on the same image. */
export async function compareBoxes(packerLog: string, packerBox: string, image: string, dir: string): Promise<BoxComparison> {
  const packerMs = packerLogSpan(packerLog, /Running post-processor: vagrant/, /Build 'qemu' finished/);
  const packerBytes = (await stat(packerBox)).size;
  const begin = performance.now();
  const kiln = await writeBox({
    destination: join(dir, 'kiln-on-packer-image.libvirt.box'),
    name: 'demo',
    provider: 'libvirt',
    disk: image,
    virtualBytes: (await imageInfo(image)).virtualSize,
    layout: 'v1',
    compression: BOX_LEVEL,
    machine: { cpus: 2, memoryMiB: 512, osType: 'Debian_64' },
    mtime: Math.floor(Date.now() / 1000),
  });
  const result = { packer: { ms: packerMs, bytes: packerBytes }, kiln: { ms: performance.now() - begin, bytes: kiln.bytes } };
  const packerTime =
    packerMs === undefined ? 'time not in its log' : packerMs === 0 ? 'under 1 s (its log has 1 s resolution)' : `about ${seconds(packerMs)} (1 s log resolution)`;
  console.log(`  vagrant post-processor (libvirt box of its qcow2): ${mib(packerBytes)}, ${packerTime}`);
  console.log(`  kiln's box writer on the same qcow2: ${mib(kiln.bytes)} in ${seconds(result.kiln.ms)}`);
  return result;
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
