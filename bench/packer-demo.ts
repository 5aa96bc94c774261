// The demo fixture as a Packer project (the installer ISO, the demo's provisioners, a
// libvirt box), written the same way for every bench that runs Packer beside kiln.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packerAnswerFile, packerTemplate } from './packer-template.js';
import { packerVagrantPostProcessor } from './vagrant-box.js';

/** What the demo's boot command types (kiln's fixtures/demo/kiln.yaml types the same). */
export const BOOT_LINE = 'install ks=http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>';

/** Writes dir/packer.json and dir/http/ks.cfg; the guest's serial console goes to dir/serial.log, the box to dir/packer.libvirt.box. */
export async function writePackerDemo(repo: string, dir: string, iso: string): Promise<{ serialLog: string; box: string }> {
  const password = 'kiln-bench';
  await mkdir(join(dir, 'http'), { recursive: true });
  await writeFile(join(dir, 'http', 'ks.cfg'), packerAnswerFile(password));
  const demo = await readFile(join(repo, 'fixtures', 'demo', 'packer-provisioners.json'), 'utf8');
  const serialLog = join(dir, 'serial.log');
  const box = join(dir, 'packer.libvirt.box');
  const template = packerTemplate({
    iso,
    outputDir: join(dir, 'out'),
    httpDir: join(dir, 'http'),
    bootLine: BOOT_LINE,
    password,
    diskMiB: 4096,
    memoryMiB: 512,
    cpus: 2,
    provision: JSON.parse(demo.replaceAll('{{DEMO_DIR}}', join(repo, 'fixtures', 'demo'))) as object[],
    serialLog,
  });
  await writeFile(join(dir, 'packer.json'), JSON.stringify({ ...template, 'post-processors': [packerVagrantPostProcessor(box)] }, null, 2));
  return { serialLog, box };
}
