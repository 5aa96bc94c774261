// The cloud-image benchmark: the fixture Debian 12 cloud image (real cloud-init) built
// by kiln from a `cloud_init:` section, and, when packer is installed, by Packer 1.6's
// qemu builder with `disk_image: true` and the seed a Packer user writes by hand
// (http_directory, the SMBIOS seed URL in qemuargs, `cloud-init status --wait` as the
// first provisioner). Same image, disk size, machine, login and provisioning; kiln
// overlays the image, Packer 1.6.6 must copy it (see use_backing_file).
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '../lib/builder/steps/manifest.js';
import { seconds, timed } from './measure.js';
import { serialToFile } from './packer-template.js';

const PASSWORD = 'kiln-bench';
const PROVISION = 'echo "provisioned $(hostname)" | sudo tee /etc/kiln-bench-marker';

export function kilnCloudTemplate(image: string, out: string): string {
  return `name: cloud-bench
source:
  disk: { url: ${image}, checksum: none, backing: true }
machine: { cpus: 2, memory: 768, disk: 3G }
cloud_init:
  user_data: { package_upgrade: false }
ssh: { username: kiln, password: ${PASSWORD}, timeout: 10m }
provision:
  - shell: { inline: ['${PROVISION}'] }
shutdown: { command: sudo shutdown -P now, timeout: 3m }
output: { directory: ${out}, formats: [qcow2], compress: true }
`;
}

/** What a Packer user writes by hand for the same login (kiln generates it). */
export const PACKER_USER_DATA = `#cloud-config
package_upgrade: false
users:
  - name: kiln
    sudo: ALL=(ALL) NOPASSWD:ALL
    shell: /bin/bash
    lock_passwd: false
    plain_text_passwd: ${PASSWORD}
ssh_pwauth: true
`;

export function packerCloudTemplate(image: string, dir: string): object {
  return {
    builders: [
      {
        type: 'qemu',
        iso_url: image,
        iso_checksum: 'none',
        disk_image: true,
        // Packer 1.6.6 runs `qemu-img create -b` without -F, which QEMU 6.1 and later
        // refuse ("Backing file specified without backing format"): a full copy it is.
        use_backing_file: false,
        output_directory: join(dir, 'out'),
        vm_name: 'cloud-bench.qcow2',
        format: 'qcow2',
        disk_compression: true,
        disk_size: '3072M',
        disk_interface: 'virtio',
        net_device: 'virtio-net',
        memory: 768,
        cpus: 2,
        accelerator: 'tcg',
        headless: true,
        http_directory: join(dir, 'http'),
        boot_wait: '0s',
        ssh_username: 'kiln',
        ssh_password: PASSWORD,
        ssh_timeout: '10m',
        shutdown_command: 'sudo shutdown -P now',
        qemuargs: [
          ['-smbios', 'type=1,serial=ds=nocloud-net;s=http://{{ .HTTPIP }}:{{ .HTTPPort }}/'],
          ...serialToFile(join(dir, 'serial.log')),
        ],
      },
    ],
    provisioners: [{ type: 'shell', inline: ['cloud-init status --wait', PROVISION] }],
  };
}

export async function benchCloudImage(repo: string, kiln: string, dir: string, withPacker: boolean): Promise<void> {
  const image = execFileSync('bash', [join(repo, 'fixtures', 'build-cloud-image.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
  await mkdir(join(dir, 'kiln'), { recursive: true });
  await writeFile(join(dir, 'kiln', 'kiln.yaml'), kilnCloudTemplate(image, join(dir, 'kiln', 'out')));
  const run = await timed(process.execPath, [kiln, 'build', 'kiln.yaml'], { cwd: join(dir, 'kiln'), env: { CI: '1', XDG_CACHE_HOME: join(dir, 'kiln', 'cache') } });
  if (run.code !== 0) throw new Error(`kiln build of the cloud image failed:\n${run.stderr}`);
  const manifest = JSON.parse(await readFile(join(dir, 'kiln', 'out', 'manifest.json'), 'utf8')) as Manifest;
  console.log(`\nkiln build of the fixture cloud image (Debian 12, cloud-init 22.4, seed over HTTP): ${seconds(run.ms)}`);
  for (const step of manifest.steps.filter((s) => s.status !== 'skipped' && s.ms >= 50)) {
    console.log(`  ${step.name.padEnd(16)} ${(step.ms / 1000).toFixed(2).padStart(7)} s`);
  }
  if (!withPacker) return;

  const packerDir = join(dir, 'packer');
  await mkdir(join(packerDir, 'http'), { recursive: true });
  await writeFile(join(packerDir, 'http', 'user-data'), PACKER_USER_DATA);
  await writeFile(join(packerDir, 'http', 'meta-data'), 'instance-id: packer-cloud-bench\nlocal-hostname: cloud-bench\n');
  await writeFile(join(packerDir, 'packer.json'), JSON.stringify(packerCloudTemplate(image, packerDir), null, 2));
  const packer = await timed('packer', ['build', '-force', 'packer.json'], {
    cwd: packerDir,
    env: { PACKER_LOG: '1', PACKER_LOG_PATH: join(packerDir, 'packer.log'), CHECKPOINT_DISABLE: '1', PACKER_CACHE_DIR: join(packerDir, 'cache') },
  });
  if (packer.code !== 0) throw new Error(`packer build of the cloud image failed:\n${packer.stdout}\n${packer.stderr}`);
  console.log(`packer build of the same image: ${seconds(packer.ms)}`);
  console.log(`  kiln / Packer: ${(run.ms / packer.ms).toFixed(2)}`);
}
