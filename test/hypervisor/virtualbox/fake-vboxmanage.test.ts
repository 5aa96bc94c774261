// The fake VBoxManage itself: the syntax it rejects (per version), the order it
// insists on, and its exit codes and error shapes. Driver tests rely on all of it.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFake } from '../../fakes/vboxmanage/fake.js';
import { installFakeVBoxManage, type FakeVBox } from '../../fakes/vboxmanage/install.js';

const fakes: FakeVBox[] = [];
function fake(version: string): FakeVBox {
  const f = installFakeVBoxManage({ version });
  fakes.push(f);
  return f;
}
// In-process: the same code as the executable, without a process per call.
const run = (f: FakeVBox, ...args: string[]) => runFake(args, f.env);

/** A registered VM with a SATA disk, powered off. */
async function vmWithDisk(f: FakeVBox, name = 'vm'): Promise<string> {
  const base = join(f.dir, 'vms');
  assert.is((await run(f, 'createvm', '--name', name, '--ostype', 'Debian_64', '--basefolder', base, '--register')).code, 0);
  assert.is((await run(f, 'storagectl', name, '--name', 'SATA', '--add', 'sata')).code, 0);
  const disk = join(base, name, `${name}.vdi`);
  assert.is((await run(f, 'createmedium', 'disk', '--filename', disk, '--size', '64')).code, 0);
  assert.is((await run(f, 'storageattach', name, '--storagectl', 'SATA', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', disk)).code, 0);
  return disk;
}

test('the executable on PATH answers like the in-process fake', () => {
  const f = fake('6.1.50r161033');
  const r = spawnSync(f.binary, ['--version'], { encoding: 'utf8' });
  assert.is(r.status, 0);
  assert.is(r.stdout, '6.1.50r161033\n');
});

test('--version prints the version and revision', async () => {
  assert.is((await run(fake('6.1.50r161033'), '--version')).stdout, '6.1.50r161033\n');
  assert.is((await run(fake('7.0.14r161095'), '-q', '--version')).stdout, '7.0.14r161095\n');
});

// [version, args, exit, stderr pattern]
const SYNTAX: [string, string[], number, RegExp][] = [
  ['7.0.14r1', ['frobnicate'], 2, /Invalid command 'frobnicate'/],
  ['7.0.14r1', ['createvm', '--ostype', 'Debian_64'], 2, /Parameter --name is required/],
  ['7.0.14r1', ['createvm', '--name', 'x', '--bogus'], 2, /Unknown option: --bogus/],
  ['7.0.14r1', ['createvm', '--name', 'x', 'extra'], 2, /Invalid parameter 'extra'/],
  ['7.0.14r1', ['createvm', '--name', 'x', '--ostype', 'Plan9_64', '--register'], 1, /Guest OS type 'Plan9_64' is invalid/],
  ['7.1.4r1', ['createvm', '--name', 'x', '--ostype', 'Plan9_64', '--register'], 1, /Unknown or invalid guest OS type given/],
  ['6.1.50r1', ['createvm', '--name', 'x', '--platform-architecture', 'x86'], 2, /Unknown option: --platform-architecture/],
  ['7.0.14r1', ['createvm', '--name', 'x', '--platform-architecture', 'x86'], 2, /Unknown option: --platform-architecture/],
  ['7.1.4r1', ['createvm', '--name', 'x', '--platform-architecture', 'sparc'], 2, /Invalid --platform-architecture argument 'sparc'/],
  ['7.0.14r1', ['modifyvm', 'nosuchvm', '--memory', '512'], 1, /Could not find a registered machine named 'nosuchvm'[\s\S]*VBOX_E_OBJECT_NOT_FOUND/],
  ['7.0.14r1', ['modifyvm', 'vm'], 2, /Not enough parameters/],
  ['7.0.14r1', ['unregistervm'], 1, /^$/],
  ['7.0.14r1', ['startvm', 'vm', '--bogus'], 2, /unknown option: --bogus/],
  ['7.0.14r1', ['controlvm', 'vm'], 2, /Not enough parameters/],
  ['7.0.14r1', ['storagectl', 'vm', '--name'], 2, /Too few parameters/],
  ['7.0.14r1', ['createmedium', 'disk', '--size', '10'], 2, /Parameter --filename is required/],
  ['7.0.14r1', ['createmedium', 'disk', '--filename', '/tmp/x.vdi'], 2, /Parameter --size is required/],
  ['7.0.14r1', ['createmedium', 'disk', 'dvd', '--filename', '/tmp/x.vdi', '--size', '1'], 2, /Only one command/],
  ['7.0.14r1', ['createmedium', 'disk', '--filename', '/tmp/x.vdi', '--size', 'ten'], 2, /Invalid argument format: ten/],
  ['7.0.14r1', ['createmedium', 'disk', '--filename', '/tmp/x.vdi', '--size', '1', '--variant', 'Sparse'], 2, /Invalid medium variant/],
  ['7.0.14r1', ['export', 'vm'], 2, /Missing --output/],
  ['7.0.14r1', ['showvminfo', 'vm', '--machinereadable', 'more'], 2, /Invalid parameter 'more'/],
];
for (const [version, args, exit, pattern] of SYNTAX) {
  test(`${version.split('r')[0]}: ${args.join(' ')} -> exit ${exit}`, async () => {
    const r = await run(fake(version), ...args);
    assert.is(r.code, exit, r.stderr);
    assert.match(r.stderr, pattern);
  });
}

// modifyvm options on a VM that exists: [version, options, exit, stderr pattern ('' = success)]
const MODIFY: [string, string[], number, RegExp | ''][] = [
  ['6.1.50r1', ['--natpf1', 'ssh,tcp,127.0.0.1,2222,,22', '--uartmode1', 'file', '/tmp/s.log', '--uart1', '0x3F8', '4'], 0, ''],
  ['7.0.14r1', ['--nat-pf1', 'ssh,tcp,127.0.0.1,2222,,22', '--uart-mode1', 'file', '/tmp/s.log'], 0, ''],
  ['6.1.50r1', ['--nat-pf1', 'ssh,tcp,127.0.0.1,2222,,22'], 1, /Unknown option: --nat-pf1/],
  ['6.1.50r1', ['--nat-localhostreachable1', 'on'], 1, /Unknown option: --nat-localhostreachable1/],
  ['7.0.14r1', ['--nat-localhostreachable1', 'on'], 0, ''],
  ['7.0.14r1', ['--nat-localhostreachable1', 'yes'], 1, /Invalid argument format: yes/],
  ['7.0.14r1', ['--natpf1', 'ssh,tcp,127.0.0.1,2222'], 2, /Missing or invalid argument to '--natpf'/],
  ['7.0.14r1', ['--natpf1', 'ssh,icmp,,2222,,22'], 1, /Invalid proto/],
  ['7.0.14r1', ['--natpf1', 'ssh,tcp,,2222,,22', '--natpf1', 'ssh,tcp,,2223,,22'], 1, /A NAT rule of this name already exists/],
  ['7.0.14r1', ['--natpf1', 'a,tcp,,2222,,22', '--natpf1', 'b,tcp,,2222,,23'], 1, /same|this host port and this host IP already exists/],
  ['7.0.14r1', ['--natpf1', 'delete', 'nosuch'], 1, /A NAT rule of this name does not exist/],
  ['7.0.14r1', ['--natpf1', 'delete'], 2, /Not enough parameters/],
  ['7.0.14r1', ['--boot1', 'cdrom'], 2, /Invalid boot device 'cdrom'/],
  ['7.0.14r1', ['--boot5', 'disk'], 1, /Invalid boot position: 5/],
  ['7.0.14r1', ['--firmware', 'uefi'], 1, /Invalid --firmware argument 'uefi'/],
  ['7.0.14r1', ['--chipset', 'q35'], 1, /Invalid --chipset argument 'q35'/],
  ['7.0.14r1', ['--chipset', 'armv8virtual'], 1, /Invalid --chipset argument/],
  ['7.1.4r1', ['--chipset', 'armv8virtual'], 0, ''],
  ['7.0.14r1', ['--graphicscontroller', 'qxl'], 1, /Invalid --graphicscontroller argument 'qxl'/],
  ['7.0.14r1', ['--nictype1', 'rtl8139'], 1, /Invalid NIC type 'rtl8139' specified for NIC 1/],
  ['7.0.14r1', ['--nic1', 'user'], 1, /Invalid type 'user' specfied for NIC 1/],
  ['7.0.14r1', ['--nic9', 'nat'], 0, /Invalid NIC number 9/],
  ['7.0.14r1', ['--nic'], 1, /--nic: Index missing/],
  ['7.0.14r1', ['--memory', '2'], 1, /Invalid RAM size: 2 MB/],
  ['7.0.14r1', ['--memory', 'lots'], 1, /Invalid argument format: lots/],
  ['7.0.14r1', ['--memory'], 1, /required option argument is missing/],
  ['7.0.14r1', ['--cpus', '0'], 1, /Invalid virtual CPU count: 0/],
  ['7.0.14r1', ['--uart1', '0x3F8'], 2, /Missing or invalid argument to '--uart'/],
  ['7.0.14r1', ['--uart1', 'base', '4'], 2, /Error parsing UART I\/O base 'base'/],
  ['7.0.14r1', ['--uart5', '0x3F8', '4'], 1, /Invalid Serial port slot: 4/],
  ['7.0.14r1', ['--uartmode1', 'file'], 2, /Missing or invalid argument to '--uartmode'/],
  ['6.1.50r1', ['--audio', 'none'], 0, ''],
  ['7.0.14r1', ['--audio', 'none'], 0, /--audio is deprecated/],
  ['6.1.50r1', ['--audio-driver', 'none'], 1, /Unknown option: --audio-driver/],
  ['7.0.14r1', ['--ostype', 'Plan9'], 1, /Guest OS type 'Plan9' is invalid/],
  ['7.0.14r1', ['--pae', 'on', '--longmode=on', '--hwvirtex:on'], 0, ''],
  ['7.0.14r1', ['--x86-pae', 'on'], 1, /Unknown option: --x86-pae/],
  ['7.1.4r1', ['--x86-pae', 'on'], 0, ''],
  ['7.0.14r1', ['stray'], 1, /Invalid parameter 'stray'/],
];
for (const [version, options, exit, pattern] of MODIFY) {
  test(`${version.split('r')[0]}: modifyvm vm ${options.join(' ')} -> exit ${exit}`, async () => {
    const f = fake(version);
    f.seedVm('vm');
    const before = JSON.stringify(f.vm('vm'));
    const r = await run(f, 'modifyvm', 'vm', ...options);
    assert.is(r.code, exit, r.stderr);
    if (pattern === '') assert.is(r.stderr, '');
    else assert.match(r.stderr, pattern);
    // A failed modifyvm saves nothing.
    if (exit !== 0) assert.is(JSON.stringify(f.vm('vm')), before);
  });
}

test('out-of-order calls fail as they would', async () => {
  const f = fake('7.0.14r1');
  assert.match((await run(f, 'startvm', 'ghost', '--type', 'headless')).stderr, /Could not find a registered machine named 'ghost'/);
  const disk = await vmWithDisk(f);
  const attach = await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--port', '0', '--device', '0', '--type', 'dvddrive', '--medium', disk);
  assert.is(attach.code, 1);
  assert.match(attach.stderr, /Could not find a controller named 'IDE'/);
  const typing = await run(f, 'controlvm', 'vm', 'keyboardputscancode', '1c', '9c');
  assert.is(typing.code, 1);
  assert.match(typing.stderr, /Machine 'vm' is not currently running\./);
  assert.is((await run(f, 'startvm', 'vm', '--type', 'headless')).code, 0);
  assert.match((await run(f, 'startvm', 'vm', '--type', 'headless')).stderr, /already locked by a session/);
  assert.match((await run(f, 'modifyvm', 'vm', '--memory', '512')).stderr, /already locked for a session/);
  assert.match((await run(f, 'storagectl', 'vm', '--name', 'IDE', '--add', 'ide')).stderr, /already locked for a session/);
  const unregister = await run(f, 'unregistervm', 'vm', '--delete');
  assert.is(unregister.code, 1);
  assert.match(unregister.stderr, /Cannot unregister the machine 'vm' while it is locked[\s\S]*VBOX_E_INVALID_OBJECT_STATE/);
  assert.is((await run(f, 'export', 'vm', '--output', join(f.dir, 'x.ova'))).code, 1);
  assert.is((await run(f, 'controlvm', 'vm', 'poweroff')).code, 0);
  assert.is((await run(f, 'unregistervm', 'vm', '--delete')).code, 0);
  assert.is(existsSync(disk), false, 'the attached disk went with --delete');
  assert.equal(f.registered(), []);
  assert.equal(f.state().media, []);
});

test('keyboardputscancode: hex bytes only, all or nothing', async () => {
  const f = fake('7.0.14r1');
  await vmWithDisk(f);
  await run(f, 'startvm', 'vm', '--type', 'headless');
  const bad = await run(f, 'controlvm', 'vm', 'keyboardputscancode', '1e', '9e', '0x1c');
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /'0x1c' is not a hex byte!/);
  assert.is(f.vm('vm')!.typed, '');
  const missing = await run(f, 'controlvm', 'vm', 'keyboardputscancode');
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /Missing argument to 'keyboardputscancode'/);
  assert.is((await run(f, 'controlvm', 'vm', 'keyboardputscancode', '2A', '23', 'a3', 'aa', '17', '97')).code, 0);
  assert.is(f.vm('vm')!.typed, 'Hi');
  assert.match((await run(f, 'controlvm', 'vm', 'frob')).stderr, /Invalid parameter 'frob'/);
});

test('power states: ACPI button powers off after a delay, or is ignored', async () => {
  const f = fake('7.0.14r1');
  f.configure({ acpiDelayMs: 60_000 });
  await vmWithDisk(f);
  await run(f, 'startvm', 'vm', '--type', 'headless');
  assert.is((await run(f, 'controlvm', 'vm', 'acpipowerbutton')).code, 0);
  assert.match((await run(f, 'showvminfo', 'vm', '--machinereadable')).stdout, /VMState="running"/);
  f.advanceClock(61_000);
  assert.match((await run(f, 'showvminfo', 'vm', '--machinereadable')).stdout, /VMState="poweroff"/);
  f.configure({ acpi: 'ignore' });
  await run(f, 'startvm', 'vm', '--type', 'headless');
  await run(f, 'controlvm', 'vm', 'acpipowerbutton');
  f.advanceClock(61_000);
  assert.match((await run(f, 'showvminfo', 'vm', '--machinereadable')).stdout, /VMState="running"/);
});

test('the session lingers after poweroff when configured', async () => {
  const f = fake('7.0.14r1');
  f.configure({ unlockDelayMs: 60_000 });
  await vmWithDisk(f);
  await run(f, 'startvm', 'vm', '--type', 'headless');
  await run(f, 'controlvm', 'vm', 'poweroff');
  assert.match((await run(f, 'unregistervm', 'vm', '--delete')).stderr, /while it is locked/);
  f.advanceClock(61_000);
  assert.is((await run(f, 'unregistervm', 'vm', '--delete')).code, 0);
});

test('media: createmedium refuses existing files; closemedium forgets unattached disks', async () => {
  const f = fake('7.0.14r1');
  const disk = join(f.dir, 'loose.vdi');
  assert.is((await run(f, 'createmedium', 'disk', '--filename', disk, '--size', '8')).code, 0);
  const again = await run(f, 'createmedium', 'disk', '--filename', disk, '--size', '8');
  assert.is(again.code, 1);
  assert.match(again.stderr, /already exists/);
  assert.is(f.state().media.length, 1);
  assert.is((await run(f, 'closemedium', 'disk', disk, '--delete')).code, 0);
  assert.is(existsSync(disk), false);
  assert.equal(f.state().media, []);
  assert.match((await run(f, 'closemedium', 'disk', disk)).stderr, /VERR_FILE_NOT_FOUND/);
  const noext = join(f.dir, 'plain');
  await run(f, 'createmedium', '--filename', noext, '--size', '1');
  assert.ok(existsSync(`${noext}.vdi`), 'VBoxManage adds the extension');
});

test('storageattach checks media files and types', async () => {
  const f = fake('7.0.14r1');
  await vmWithDisk(f);
  await run(f, 'storagectl', 'vm', '--name', 'IDE', '--add', 'ide');
  const missing = await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--port', '1', '--device', '0', '--type', 'dvddrive', '--medium', '/nonexistent.iso');
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /Could not find file for the medium '\/nonexistent\.iso'/);
  assert.match((await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--device', '0', '--type', 'dvddrive', '--medium', 'x')).stderr, /Port not specified/);
  assert.match((await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--port', '2', '--device', '0', '--type', 'hdd', '--medium', 'x')).stderr, /Invalid port number 2/);
  assert.is((await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--port', '0', '--device', '0', '--type', 'cdrom', '--medium', 'x')).code, 2);
  const iso = join(f.dir, 'i.iso');
  writeFileSync(iso, 'iso');
  assert.match((await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--port', '1', '--device', '0', '--type', 'hdd', '--medium', iso)).stderr, /storage format/);
  assert.is((await run(f, 'storageattach', 'vm', '--storagectl', 'IDE', '--port', '1', '--device', '0', '--type', 'dvddrive', '--medium', iso)).code, 0);
  assert.match((await run(f, 'showvminfo', 'vm', '--machinereadable')).stdout, /"IDE-1-0"=".*i\.iso"/);
});

test('a command without arguments prints its usage and fails', async () => {
  const r = await run(fake('7.0.14r1'), 'createvm');
  assert.is(r.code, 1);
  assert.match(r.stdout, /Usage - Create a new virtual machine/);
});

test.after(() => fakes.forEach((f) => f.remove()));
test.run();
