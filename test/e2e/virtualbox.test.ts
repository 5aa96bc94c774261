// End to end under VirtualBox, against the fake VBoxManage (VirtualBox cannot be
// installed where kiln is developed): `kiln build` is spawned as a user would, with the
// fake first on PATH. The fake's guest plays the fixture installer (it reads the typed
// line from the scancodes, fetches the answer file through "NAT"), its SSH server
// (guest-sshd.ts) runs the provisioners in the guest's tree, and its disk is a real
// VDI that qemu-img converts. The template (test/helpers/virtualbox-build.ts) is
// build.test.ts's, with the provisioners writing only inside the guest.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { list as listTar } from 'tar';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { typedCalls } from '../fakes/vboxmanage/install.js';
import { spawnKiln, type KilnRun } from '../helpers/run-kiln.js';
import { kiln, PASSWORD, setup, teardown, TYPED_TAIL } from '../helpers/virtualbox-build.js';

const exec = promisify(execFile);

/** A file in the guest's tree as the disk holds it: the fake guest stores its tree as a tar at offset 0. */
async function guestFile(image: string, format: string, path: string, scratch: string): Promise<string> {
  const raw = join(scratch, 'guest.raw');
  await exec('qemu-img', ['convert', '-f', format, '-O', 'raw', image, raw]);
  const { stdout } = await exec('tar', ['-xOf', raw, `.${path}`], { maxBuffer: 1 << 20 });
  await rm(raw);
  return stdout;
}

const failureOf = async (run: KilnRun, out: string) => `${run.stderr}\n--- build.log ---\n${await readFile(join(out, 'build.log'), 'utf8').catch(() => '')}`;

test('kiln build with hypervisor: virtualbox types, installs, provisions over SSH and exports qcow2, OVA and a box', async () => {
  const s = await setup('vbox');
  try {
    const run = await kiln(s).done;
    const out = join(s.dir, 'out', 'vbox');
    assert.is(run.code, 0, await failureOf(run, out));

    // What the fake decoded from the keyboardputscancode calls is the boot command, exactly.
    const port = /serving http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr)?.[1];
    assert.ok(port, 'no HTTP port in the output');
    const typed = typedCalls(s.fake).map(([, text]) => text).join('');
    assert.is(typed, `install ks=http://10.0.2.2:${port}/ks.cfg ${TYPED_TAIL}<enter>`);
    const calls = s.fake.state().calls.filter((c) => c.argv[2] === 'keyboardputscancode');
    assert.ok(calls.length > 3 && calls.every((c) => c.argv.length - 3 <= 24), 'typed in several calls of at most 24 bytes');
    const cmdline = /KILN-FIXTURE-CMDLINE: (.*)/.exec(await readFile(join(out, 'serial.log'), 'latin1'))?.[1]?.trim() ?? '';
    assert.ok(cmdline.endsWith(`ks=http://10.0.2.2:${port}/ks.cfg ${TYPED_TAIL}`), `cmdline was: ${cmdline}`);

    // The provisioners and the shutdown command ran in the guest, over SSH.
    const vmName = s.fake.state().calls.find((c) => c.argv[0] === 'createvm')!.argv[2]!;
    const commands = s.sshd.commands(vmName);
    // Inline provisioners are uploaded as scripts and run; what they did is checked in the image below.
    assert.is(commands.filter((c) => /\/tmp\/kiln-[0-9a-f]+\.sh/.test(c)).length, 2, commands.join('\n'));
    assert.is(commands.at(-1), 'sudo shutdown -P now', 'the shutdown command ran in the guest, last');
    assert.match(run.stderr, /provision\[0\] shell \| pw=<sensitive>/);
    assert.not.ok(run.stderr.includes(PASSWORD), 'password printed on the terminal');

    const files = (await readdir(out)).sort();
    for (const f of ['build.log', 'http.log', 'manifest.json', 'serial.log', 'vbox.ova', 'vbox.qcow2', 'vbox.virtualbox.box']) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    assert.not.ok(files.includes('.kiln-work'), 'work dir left behind');
    // The qcow2 was converted from the VM's VDI after shutdown: it holds what provisioning wrote.
    assert.is(await guestFile(join(out, 'vbox.qcow2'), 'qcow2', '/etc/kiln-e2e-marker', s.dir), 'marker it works\n');
    assert.is(await guestFile(join(out, 'vbox.qcow2'), 'qcow2', '/etc/motd', s.dir), 'Welcome to a kiln-built image\n');
    const { stdout: info } = await exec('qemu-img', ['info', '--output=json', join(out, 'vbox.qcow2')]);
    assert.is(JSON.parse(info)['virtual-size'], 4 * 1024 ** 3);

    // OVA and box come from VBoxManage export: VirtualBox's OVF, its disk, and the box's own files.
    const members = async (file: string) => {
      const names: string[] = [];
      await listTar({ file, onReadEntry: (e) => void names.push(e.path) });
      return names;
    };
    assert.equal(await members(join(out, 'vbox.ova')), ['vbox.ovf', 'vbox-disk001.vmdk', 'vbox.mf']);
    assert.equal(await members(join(out, 'vbox.virtualbox.box')), ['metadata.json', 'Vagrantfile', 'box.ovf', 'box-disk001.vmdk']);
    const exports = s.fake.state().calls.filter((c) => c.argv[0] === 'export');
    assert.is(exports.length, 2);

    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.files.map((f: { file: string }) => f.file), ['vbox.qcow2', 'vbox.ova', 'vbox.virtualbox.box']);
    assert.not.ok(manifest.steps.some((st: { name: string }) => st.name === 'cache' || st.name === 'create-disk'));

    // Nothing of the build is left in VirtualBox.
    assert.equal(s.fake.registered(), []);
    assert.equal(s.fake.state().media, []);
  } finally {
    await teardown(s);
  }
});

test('a provisioner that fails: exit 1, the VM unregistered, no work dir, no image', async () => {
  const s = await setup('vboxfail', [{ shell: { inline: ['echo about to fail', 'exit 3'] } }]);
  try {
    const run = await kiln(s).done;
    const out = join(s.dir, 'out', 'vboxfail');
    assert.is(run.code, 1, await failureOf(run, out));
    assert.match(run.stderr, /provision\[3\]/);
    assert.equal(s.fake.registered(), [], 'a VM is still registered');
    assert.equal(s.fake.state().media, [], 'a disk is still registered');
    assert.ok(s.fake.state().calls.some((c) => c.argv[0] === 'unregistervm' && c.argv.includes('--delete') && c.exit === 0));
    assert.not.ok(existsSync(join(out, '.kiln-work')), 'work dir left behind');
    assert.not.ok(existsSync(join(out, 'vboxfail.qcow2')), 'an image under its final name');
  } finally {
    await teardown(s);
  }
});

test('SIGINT while waiting for SSH: exit 130, the VM powered off and unregistered, no temp dir', async () => {
  // No guest SSH server: the build waits at wait-ssh until it is interrupted.
  const s = await setup('vboxint');
  await s.sshd.stop();
  try {
    let sent = false;
    const { done } = kiln(s, (text, child) => {
      // With no sshd, wait-ssh cannot end: the SIGINT lands in it whenever it arrives.
      if (!sent && text.includes('==> wait-ssh')) sent = child.kill('SIGINT');
    });
    const run = await done;
    const out = join(s.dir, 'out', 'vboxint');
    assert.ok(sent, `never reached wait-ssh:\n${await failureOf(run, out)}`);
    assert.is(run.code, 130, run.stderr);
    assert.equal(s.fake.registered(), [], 'a VM is still registered');
    const vmName = s.fake.state().calls.find((c) => c.argv[0] === 'createvm')!.argv[2];
    assert.ok(s.fake.state().calls.some((c) => c.argv.join(' ') === `controlvm ${vmName} poweroff`), 'the running VM was not powered off');
    assert.not.ok(existsSync(join(out, '.kiln-work')), 'work dir left behind');
    assert.equal(await readdir(join(s.dir, 'tmp')), [], 'a temp dir was left behind');
  } finally {
    await teardown(s);
  }
});

test('SIGINT during a slow start-vm: kiln exits only once VirtualBox has let go of the VM', async () => {
  // A loaded host: startvm has not returned when Ctrl-C comes, and removing the VM takes longer than the
  // runner's 5 s abort grace. What the user sees must not change: when kiln exits the
  // VM is gone. (The runner's wait for the abandoned step is pinned in
  // test/pipeline/runner.test.ts; here the outcome is checked, whichever part holds.)
  const s = await setup('vboxslow');
  // startvm is held (the VM runs, the call has not returned) until the SIGINT; then kiln kills it.
  s.fake.configure({ hold: [{ command: 'startvm', when: 'after' }], delay: [{ command: 'unregistervm', ms: 6000, when: 'before' }] });
  try {
    let sent = false;
    const { child, done } = kiln(s);
    s.fake.held().then(() => (sent = child.kill('SIGINT')), () => {});
    const run = await done;
    assert.ok(sent, `never reached startvm:\n${run.stderr}`);
    assert.is(run.code, 130, run.stderr);
    assert.equal(s.fake.registered(), [], 'a VM is still registered after kiln exited');
    assert.ok(s.fake.state().calls.some((c) => c.argv[0] === 'unregistervm'), 'the VM was never unregistered');
  } finally {
    await teardown(s);
  }
});

test('no VBoxManage: exit 1 with how to install VirtualBox or set KILN_VBOXMANAGE', async () => {
  const s = await setup('vboxnone');
  try {
    const run = await spawnKiln(['build', 'kiln.yaml', '--var', `iso=${s.iso}`], {
      cwd: s.dir,
      env: { KILN_VBOXMANAGE: join(s.dir, 'no-such-VBoxManage'), XDG_CACHE_HOME: join(s.dir, 'cache'), TMPDIR: join(s.dir, 'tmp') },
    }).done;
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stderr, /VBoxManage was not found/);
    assert.match(run.stderr, /install VirtualBox 6\.1 or 7\.x .*KILN_VBOXMANAGE/);
    assert.not.ok(existsSync(join(s.dir, 'out', 'vboxnone', '.kiln-work')), 'work dir left behind');
  } finally {
    await teardown(s);
  }
});

test.run();
