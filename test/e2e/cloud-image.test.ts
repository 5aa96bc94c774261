// End to end on real QEMU (TCG here) with real cloud-init: `kiln build` boots the
// fixture cloud image (Debian 12, fixtures/build-cloud-image.sh) with a seed kiln made
// from the template, once served over HTTP and once on a CIDATA CD, logs in as the user
// the seed created, provisions, shuts down and exports; the exported image must hold
// what cloud-init and the provisioner wrote.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cloudImage } from '../helpers/cloud-image.js';
import { readGuestFile } from '../helpers/fixtures.js';
import { eventOf, eventsOf } from '../helpers/events.js';
import { runKiln } from '../helpers/run-kiln.js';

const exec = promisify(execFile);

function template(name: string, via: 'http' | 'cdrom', extra: { backing: boolean; password?: string }): string {
  return `
name: ${name}
variables:
  image: {}
source:
  disk: { url: "{{ var \`image\` }}", checksum: none, backing: ${extra.backing} }
machine: { cpus: 2, memory: 768, disk: 3G }
cloud_init:
  via: ${via}
  user_data:
    write_files:
      - path: /etc/kiln-seed-marker
        content: "seeded by {{ .Name }} over ${via}\\n"
    runcmd:
      - [sh, -c, "id kiln > /etc/kiln-user-id; echo ran >> /etc/kiln-runcmd-runs"]
ssh: { username: kiln, timeout: 4m${extra.password ? `, password: ${extra.password}` : ''} }
provision:
  - shell: { inline: ["echo \\"provisioned $(hostname)\\" > /etc/kiln-e2e-marker"], sudo: true }
shutdown: { command: sudo shutdown -P now, timeout: 2m }
output: { directory: "out/{{ .Name }}", formats: [qcow2] }
`;
}

async function build(name: string, via: 'http' | 'cdrom', extra: { backing: boolean; password?: string }, again?: { dir: string; edit: (text: string) => string }) {
  const image = await cloudImage();
  const dir = again?.dir ?? (await mkdtemp(join(tmpdir(), `kiln-e2e-${name}-`)));
  const text = template(name, via, extra);
  await writeFile(join(dir, 'kiln.yaml'), again ? again.edit(text) : text);
  const before = await stat(image);
  const args = ['build', 'kiln.yaml', '--json', '--var', `image=${image}`, ...(again ? ['--force'] : [])];
  const run = await runKiln(args, { cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } });
  const out = join(dir, 'out', name);
  const buildLog = await readFile(join(out, 'build.log'), 'utf8').catch(() => '');
  assert.is(run.code, 0, `kiln build failed:\n${run.stderr}\n--- build.log ---\n${buildLog}`);
  const after = await stat(image);
  assert.is(after.mtimeMs, before.mtimeMs, 'the source image was written to');
  return { dir, out, run, events: eventsOf(run.stdout), buildLog, qcow2: join(out, `${name}.qcow2`) };
}

async function virtualSize(image: string): Promise<number> {
  const { stdout } = await exec('qemu-img', ['info', '--output=json', image]);
  return (JSON.parse(stdout) as { 'virtual-size': number })['virtual-size'];
}

test('a cloud image seeded over HTTP (SMBIOS seed URL), as an overlay: cloud-init and provisioning land in the export; an edit restores the booted guest without configuring it again', async () => {
  const { dir, out, run, buildLog, qcow2 } = await build('cloud-http', 'http', { backing: true });
  try {
    assert.match(buildLog, /cloud-init finished: done/);
    // No login while the console showed cloud-init at work: held, released at its finish, then the login.
    const held = buildLog.indexOf('cloud-init is running (serial console): the login waits');
    const released = buildLog.search(/cloud-init finished \(serial console\) after \S+ of holding the login/);
    const login = buildLog.search(/SSH login as kiln@127\.0\.0\.1:\d+ succeeded/);
    assert.ok(held >= 0 && released > held && login > released, `hold ${held}, release ${released}, login ${login}`);
    const httpLog = await readFile(join(out, 'http.log'), 'utf8');
    assert.match(httpLog, /GET \/cloud-init\/user-data 200/);
    assert.match(httpLog, /GET \/cloud-init\/meta-data 200/);
    assert.match(run.stderr, /disk: overlay on /);
    assert.is(await readGuestFile(qcow2, '/etc/kiln-seed-marker'), 'seeded by cloud-http over http\n');
    assert.match(await readGuestFile(qcow2, '/etc/kiln-user-id'), /^uid=\d+\(kiln\)/);
    assert.is(await readGuestFile(qcow2, '/etc/kiln-e2e-marker'), 'provisioned cloud-http\n');
    // The export is standalone (no backing file) and has machine.disk's size.
    const { stdout } = await exec('qemu-img', ['info', '--output=json', qcow2]);
    assert.not.ok((JSON.parse(stdout) as Record<string, unknown>)['backing-filename'], 'the export depends on its source');
    assert.is(await virtualSize(qcow2), 3 * 1024 ** 3);

    assert.match(await readFile(join(out, 'serial.log'), 'latin1'), /Linux version/, 'the check for kernel boot lines below could never fail');
    // Its filesystems use all the data the disk holds: a trim could give nothing back.
    assert.match(buildLog, /shrink: \/ skipped \(the filesystems use \S+: at most \S+ could be freed, under the 32M worth a trim\)/);

    // Edit the provisioner: the build resumes from the cached install (the first boot with
    // the seed), restoring that running guest from its saved memory: no kernel boots, and
    // cloud-init, already done, does not run runcmd a second time.
    const edited = await build('cloud-http', 'http', { backing: true }, { dir, edit: (text) => text.replace('provisioned $(hostname)', 'reprovisioned $(hostname)') });
    assert.is(eventOf(edited.events, 'cache').resumed_from, 'install');
    const restore = eventOf(edited.events, 'restore') as { stage?: string; restored?: boolean; why?: string };
    assert.equal([restore.stage, restore.restored], ['install', true], `the guest booted: ${restore.why}`);
    assert.not.match(await readFile(join(out, 'serial.log'), 'latin1'), /Linux version/, 'the restored guest booted a kernel');
    // The restored guest had finished cloud-init at its checkpoint: no second wait for it.
    const waited = edited.events.find((e) => e.type === 'step-finished' && e.step === 'wait-cloud-init');
    assert.is(waited?.status, 'skipped', 'the restored guest was asked again whether cloud-init finished');
    assert.is(await readGuestFile(qcow2, '/etc/kiln-e2e-marker'), 'reprovisioned cloud-http\n');
    assert.is(await readGuestFile(qcow2, '/etc/kiln-runcmd-runs'), 'ran\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a cloud image seeded from a CIDATA CD, as a copy, logging in with a password', async () => {
  const { dir, out, buildLog, qcow2 } = await build('cloud-cd', 'cdrom', { backing: false, password: 'kiln-pw-1' });
  try {
    assert.match(buildLog, /cloud-init seed on a CIDATA CD/);
    assert.match(buildLog, /cloud-init finished: done/);
    assert.not.ok((await readdir(out)).includes('http.log'), 'an HTTP server ran though nothing was served');
    assert.is(await readGuestFile(qcow2, '/etc/kiln-seed-marker'), 'seeded by cloud-cd over cdrom\n');
    assert.is(await readGuestFile(qcow2, '/etc/kiln-e2e-marker'), 'provisioned cloud-cd\n');
    const instanceId = await readGuestFile(qcow2, '/var/lib/cloud/data/instance-id');
    assert.match(instanceId, /^kiln-cloud-cd-\d{8}T\d{6}-[0-9a-f]{6}\n$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
