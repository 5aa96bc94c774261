// The VirtualBox end-to-end setup: the fixture template (fixture-template.ts) under
// VirtualBox, a fresh fake VBoxManage whose guest plays the fixture installer, and the
// fake guest's SSH server.
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGuestSshd, type GuestSshd } from '../fakes/vboxmanage/guest-sshd.js';
import { installFakeVBoxManage, type FakeVBox } from '../fakes/vboxmanage/install.js';
import { GUEST_FETCH, virtualboxFixture, writeFixtureProject, type FixtureTemplate } from './fixture-template.js';
import { installerIso } from './fixtures.js';
import { spawnKiln } from './run-kiln.js';

export { PASSWORD, TYPED_TAIL } from './fixture-template.js';

/**
 * The fixture build under VirtualBox, as against real VirtualBox, but for what the fake
 * cannot do: its guest's commands run on this host, so nothing in it reaches 10.0.2.2
 * (no GUEST_FETCH), and it types and shuts down at once (shorter key_interval and
 * timeouts keep failing tests quick). `extra` provisioners are appended.
 */
export function fakeVirtualboxTemplate(name: string, extra: Record<string, unknown>[] = []): FixtureTemplate {
  const t = virtualboxFixture(name);
  t.boot.key_interval = '5ms';
  t.ssh = { ...t.ssh, timeout: '2m' };
  t.shutdown = { ...t.shutdown, timeout: '1m' };
  t.provision = t.provision.map((p) => (p.shell ? { shell: withoutGuestFetch(p.shell as { inline: string[] }) } : p));
  t.provision.push(...extra);
  return t;
}

const withoutGuestFetch = (shell: { inline: string[] }) => ({ ...shell, inline: shell.inline.filter((line) => line !== GUEST_FETCH) });

async function project(name: string, extra?: Record<string, unknown>[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `kiln-e2e-vbox-${name}-`));
  await mkdir(join(dir, 'tmp'));
  await writeFixtureProject(dir, fakeVirtualboxTemplate(name, extra));
  return dir;
}

export interface Setup {
  fake: FakeVBox;
  sshd: GuestSshd;
  dir: string;
  iso: string;
}

export async function setup(name: string, extra?: Record<string, unknown>[]): Promise<Setup> {
  const fake = installFakeVBoxManage({ config: { guest: 'kiln-fixture' } });
  return { fake, sshd: startGuestSshd(fake), dir: await project(name, extra), iso: await installerIso() };
}

export async function teardown(s: Setup): Promise<void> {
  s.fake.release(); // a call a test held and nobody killed would otherwise wait forever
  await s.sshd.stop();
  s.fake.remove();
  await rm(s.dir, { recursive: true, force: true });
}

/** kiln build spawned as a user would, with the fake first on PATH and a private TMPDIR. */
export function kiln(s: Setup, onStderr?: (text: string, child: ChildProcess) => void) {
  return spawnKiln(['build', 'kiln.yaml', '--var', `iso=${s.iso}`], {
    cwd: s.dir,
    // The fake is found on PATH, as VirtualBox's VBoxManage would be.
    // A private TMPDIR, so that what kiln (and the fake) leave there can be checked.
    env: { PATH: `${s.fake.binDir}:${process.env.PATH}`, KILN_VBOXMANAGE: '', XDG_CACHE_HOME: join(s.dir, 'cache'), TMPDIR: join(s.dir, 'tmp') },
    onStderr,
  });
}

