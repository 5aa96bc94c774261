// The boot-configs' shared conventions, checked across all of them: the Vagrant key and
// scripts from _shared, the vagrant user, scripts that pass shellcheck. Installer
// boot-configs: a BIOS and an EFI template, the ISO by version variable with a checksum
// file, a serial console. Cloud-image ones: the image by version variable with a checksum
// file, a seed kiln adds the vagrant user to, cloud-init cleaned before minimize.sh.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withBuildDefaults } from '../../lib/cloud-init/index.js';
import { findExecutable } from '../../lib/util/find-executable.js';
import type { Template } from '../../lib/template/types.js';
import { assembled, CLOUD, CLOUD_TEMPLATES, INITIALISED, INSTALLER, INSTALLER_TEMPLATES, load, NAMES, ROOT, SHARED } from './catalog.js';

const exec = promisify(execFile);
const read = (...parts: string[]) => readFileSync(join(ROOT, ...parts), 'utf8');
/** Package manager of every boot-config, installer or cloud image. */
const FAMILY: Record<string, string> = { ...INSTALLER, ...CLOUD };

/** The provisioners, one line each: "file DEST", "shell SCRIPT sudo=...", "inline COMMANDS sudo=...". */
const steps = (t: Template) =>
  t.provision.map((p) =>
    (p.type === 'file' ? `file ${p.destination}` : p.type !== 'shell' ? p.type : p.script ? `shell ${p.script.split('/').pop()} sudo=${p.sudo}` : `inline ${p.inline!.join('; ')} sudo=${p.sudo}`) +
    ('cache' in p && p.cache === false ? ' always' : ''),
  );

test('the eight installer distributions and the two cloud images are there', () => {
  assert.equal(NAMES, Object.keys(FAMILY).sort());
  assert.is(Object.keys(INSTALLER).length, 8);
  assert.is(Object.keys(CLOUD).length, 2);
});

test('each has README.md whose first line is "# name: description"', () => {
  for (const name of NAMES) {
    assert.match(read(name, 'README.md').split('\n')[0]!, new RegExp(`^# ${name.replace('.', '\\.')}: \\S`));
  }
});

test('each installer boot-config has kiln.yaml (BIOS) and kiln-efi.yaml (EFI)', async () => {
  for (const name of Object.keys(INSTALLER)) {
    const bios = await load(join(INITIALISED, name, 'kiln.yaml'));
    const efi = await load(join(INITIALISED, name, 'kiln-efi.yaml'));
    assert.equal([bios.name, bios.machine.firmware], [name, 'bios']);
    assert.equal([efi.name, efi.machine.firmware], [`${name}-efi`, 'efi']);
  }
});

test('each gets the Vagrant key and scripts from _shared: vagrant.sh and minimize.sh for all, cleanup.sh per package manager', async () => {
  const common = join(SHARED, 'common');
  const key = readFileSync(join(common, 'files', 'vagrant.pub'), 'utf8');
  assert.equal(
    key.trim().split('\n').map((l) => l.split(' ')[0]),
    ['ssh-ed25519', 'ssh-rsa'],
  );
  assert.ok(key.includes('AAAAC3NzaC1lZDI1NTE5AAAAIN1YdxBpNlzxDqfJyw/QKow1F+wvG9hXGoqiysfJOn5Y vagrant insecure public key'));
  const cleanup: Record<string, string> = {
    apt: join(SHARED, 'apt', 'scripts', 'cleanup.sh'),
    dnf: join(SHARED, 'dnf', 'scripts', 'cleanup.sh'),
    apk: join(ROOT, 'alpine', 'scripts', 'cleanup.sh'), // the only apk one: not shared
  };
  for (const name of NAMES) {
    const files = await assembled(name);
    assert.is(files.get('files/vagrant.pub'), join(common, 'files', 'vagrant.pub'), name);
    assert.is(files.get('scripts/vagrant.sh'), join(common, 'scripts', 'vagrant.sh'), name);
    assert.is(files.get('scripts/minimize.sh'), join(common, 'scripts', 'minimize.sh'), name);
    assert.is(files.get('scripts/cleanup.sh'), cleanup[FAMILY[name]!], name);
    assert.not.ok(files.has('kiln-init.json'), name);
  }
});

test('no boot-config has its own copy of a file a shared layer it uses provides', () => {
  for (const name of NAMES) {
    const { shared } = JSON.parse(read(name, 'kiln-init.json')) as { shared: string[] };
    const own = readdirSync(join(ROOT, name), { recursive: true, encoding: 'utf8' });
    const copies = own.filter((file) => shared.some((layer) => existsSync(join(SHARED, layer, file)) && statSync(join(SHARED, layer, file)).isFile()));
    assert.equal(copies, [], name);
  }
});

test('scripts are executable, pass shellcheck (when installed) and never pipe "|| true" into xargs', async () => {
  const everywhere = await Promise.all(NAMES.map(async (n) => [...(await assembled(n))].filter(([to]) => to.startsWith('scripts/')).map(([, from]) => from)));
  const scripts = [...new Set(everywhere.flat())];
  assert.is(scripts.length, 5); // vagrant.sh, minimize.sh and three cleanup.sh
  scripts.push(join(ROOT, 'alpine', 'http', 'post-install.sh'));
  for (const script of scripts) {
    assert.ok((statSync(script).mode & 0o111) !== 0, `${script} is not executable`);
    const text = readFileSync(script, 'utf8');
    assert.not.match(text, /\|\|\s*true\s*\\?\s*\|/, `${script} pipes the output of "|| true"`);
    assert.match(text.split('\n')[0]!, /^#!\/bin\/sh$/);
    assert.match(text, /^set -eu$/m);
  }
  assert.ok(findExecutable('shellcheck'), 'shellcheck is missing: run fixtures/install-host-deps.sh');
  const run = await exec('shellcheck', ['-s', 'sh', ...scripts]).catch((e: { stdout: string }) => e);
  assert.is(run.stdout, '', run.stdout);
});

test('each cloud boot-config has one template, kiln.yaml: the image boots on BIOS and EFI alike', async () => {
  for (const name of Object.keys(CLOUD)) {
    assert.equal(readdirSync(join(ROOT, name)).filter((f) => f.endsWith('.yaml')), ['kiln.yaml'], name);
    const t = await load(join(INITIALISED, name, 'kiln.yaml'));
    assert.equal([t.name, t.machine.firmware], [name, 'bios']);
  }
});

test('installer templates: ISO by version variable with a checksum file, the vagrant user, the provisioning order', async () => {
  for (const [dir, file, path] of INSTALLER_TEMPLATES) {
    const where = `${dir}/${file}`;
    const text = readFileSync(path, 'utf8');
    assert.match(text, /url: "https:\/\/[^"]*\{\{ var `(version|release)` \}\}/, `${where}: the ISO URL is not built from a version variable`);
    const t = await load(path);
    assert.is(t.source.kind, 'iso', where);
    assert.is(t.source.checksum.kind, 'file', where);
    assert.match(t.source.urls[0]!, /^https:\/\//, where);
    assert.equal([t.ssh?.username, t.ssh?.password], ['vagrant', 'vagrant'], where);
    // The generalising tail is never resumed from the cache: a resumed boot would undo it.
    assert.equal(steps(t), ['file /tmp/vagrant.pub', 'shell vagrant.sh sudo=true', 'shell cleanup.sh sudo=true always', 'shell minimize.sh sudo=true always'], where);
    assert.equal(t.output.formats, ['qcow2'], where);
  }
});

test('cloud templates: the image by version variable with the checksum file beside it, an overlay grown to 20G, no boot command', async () => {
  for (const [dir, file, path] of CLOUD_TEMPLATES) {
    const where = `${dir}/${file}`;
    assert.match(readFileSync(path, 'utf8'), /url: "https:\/\/[^"]*\{\{ var `(version|release)` \}\}/, `${where}: the image URL is not built from a version variable`);
    const t = await load(path);
    const disk = t.source;
    if (disk.kind !== 'disk') return assert.unreachable(`${where}: not a source.disk`);
    assert.match(disk.urls[0]!, /^https:\/\/.*\.(qcow2|img)$/, where);
    assert.ok(disk.checksum.kind === 'file', where);
    // The distributions publish SHA512SUMS / SHA256SUMS in each image's own folder.
    const sums = disk.checksum.location;
    assert.match(posix.basename(sums), /^SHA(256|512)SUMS$/, where);
    assert.is(posix.dirname(sums), posix.dirname(disk.urls[0]!), where);
    assert.ok(disk.backing, `${where}: not an overlay`);
    assert.is(t.machine.disk_bytes, 20 * 1024 ** 3, where);
    assert.equal(t.boot.command, [], where);
  }
});

test('cloud templates: the seed over HTTP (cdrom as a comment), and kiln adds vagrant to it with sudo and the password', async () => {
  for (const [dir, file, path] of CLOUD_TEMPLATES) {
    const where = `${dir}/${file}`;
    assert.match(readFileSync(path, 'utf8'), /^ {2}# via: cdrom\b/m, `${where}: no commented cdrom alternative`);
    const t = await load(path);
    assert.equal(t.cloud_init?.via, ['http'], where);
    assert.equal([t.ssh?.username, t.ssh?.password], ['vagrant', 'vagrant'], where);
    const userData = t.cloud_init!.user_data as Record<string, unknown>;
    assert.is(userData.package_upgrade, false, `${where}: the build would upgrade the image`);
    // What the build hands cloud-init: the template's keys with kiln's vagrant user.
    const seeded = withBuildDefaults(userData, { username: 'vagrant', password: 'vagrant' }) as { users: Record<string, unknown>[]; ssh_pwauth: boolean };
    assert.equal(seeded.users, [{ name: 'vagrant', sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash', lock_passwd: false, plain_text_passwd: 'vagrant' }], where);
    assert.is(seeded.ssh_pwauth, true, where);
  }
});

test('cloud templates: the shared scripts, then cloud-init clean so clones are configured again, minimize.sh last; a libvirt box', async () => {
  for (const [dir, file, path] of CLOUD_TEMPLATES) {
    const where = `${dir}/${file}`;
    const t = await load(path);
    assert.equal(
      steps(t),
      ['file /tmp/vagrant.pub', 'shell vagrant.sh sudo=true', 'shell cleanup.sh sudo=true always', 'inline cloud-init clean --logs --machine-id sudo=true always', 'shell minimize.sh sudo=true always'],
      where,
    );
    assert.equal(t.output.formats, ['qcow2'], where);
    assert.is(t.output.vagrant?.provider, 'libvirt', where);
  }
});

test('every answer file turns on the serial console of the installed system', () => {
  const answers: [string, RegExp][] = [
    ['debian-12/http/preseed.cfg', /^d-i debian-installer\/add-kernel-opts string .*console=ttyS0,115200n8/m],
    ['debian-13/http/preseed.cfg', /^d-i debian-installer\/add-kernel-opts string .*console=ttyS0,115200n8/m],
    ['ubuntu-22.04/http/user-data', /GRUB_CMDLINE_LINUX="[^"]*console=ttyS0,115200n8/],
    ['ubuntu-24.04/http/user-data', /GRUB_CMDLINE_LINUX="[^"]*console=ttyS0,115200n8/],
    ['almalinux-9/http/ks.cfg', /^bootloader .*--append="[^"]*console=ttyS0,115200n8/m],
    ['rocky-9/http/ks.cfg', /^bootloader .*--append="[^"]*console=ttyS0,115200n8/m],
    ['fedora-server/http/ks.cfg', /^bootloader .*--append="[^"]*console=ttyS0,115200n8/m],
    ['alpine/http/answers', /^export KERNELOPTS="[^"]*console=ttyS0,115200/m],
  ];
  for (const [file, pattern] of answers) assert.match(read(...file.split('/')), pattern, file);
});

test('the autoinstall password hash is "vagrant" (checked with openssl)', async () => {
  assert.ok(findExecutable('openssl'), 'openssl is missing: run fixtures/install-host-deps.sh');
  for (const name of ['ubuntu-22.04', 'ubuntu-24.04']) {
    const hash = /password: "(\$6\$[^"]+)"/.exec(read(name, 'http', 'user-data'))?.[1];
    assert.ok(hash, `${name}: no SHA-512 crypt hash`);
    const salt = hash!.split('$')[2]!;
    const { stdout } = await exec('openssl', ['passwd', '-6', '-salt', salt, 'vagrant']);
    assert.is(stdout.trim(), hash, name);
  }
});

test.run();
