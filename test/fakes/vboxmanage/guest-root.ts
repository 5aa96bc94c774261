// The simulated guest's installed system: a directory tree beside its disk file
// (`<disk>.fs`), made by the fake fixture installer, like the real fixture's installed
// system (busybox, sudo without a password for the user, the user's authorized_keys).
// guest-sshd.ts runs SSH commands chrooted into it. When the guest powers off, the tree
// is written into the disk, a real VDI, as a tar at offset 0: images exported from the
// disk then carry what provisioning did, and tests can read it back (readGuestTar).
// `poweroff`, `shutdown`, `reboot` and `halt` in the tree only ask the fake to power
// the VM off (a file in /run): nothing in the guest may act on the host.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FAKE_SUDO } from '../../ssh/helpers/fake-sudo.js';
import { isVdi, writeVdi } from './vdi.js';

export interface GuestAccount {
  user: string;
  password?: string;
  authorizedKeys: string[];
}

/** Created by the power-off commands in the guest; guest-sshd.ts turns it into a power-off. */
export const POWEROFF_REQUEST = 'run/kiln-fake-guest-poweroff';
const POWER_COMMANDS = ['bin/poweroff', 'sbin/poweroff', 'sbin/shutdown', 'usr/sbin/shutdown', 'sbin/reboot', 'sbin/halt'];
const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((path) => existsSync(path));

/** Where the tree records its login (read by guest-sshd.ts). */
export const ACCOUNT_FILE = 'etc/kiln-fake-account.json';

export const guestRootOf = (disk: string): string => `${disk}.fs`;
export const guestHome = (user: string): string => (user === 'root' ? '/root' : `/home/${user}`);

/** Installs the system for `account` into the tree of `disk`. */
export function installGuestRoot(disk: string, hostname: string, account: GuestAccount): void {
  const root = guestRootOf(disk);
  rmSync(root, { recursive: true, force: true });
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'tmp', 'run', 'proc', 'dev', 'root', guestHome(account.user).slice(1)]) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  // The character devices shells and tools expect; no disks (mknod needs root, as chroot does).
  for (const [name, minor] of [['null', 3], ['zero', 5], ['random', 8], ['urandom', 9]] as const) {
    spawnSync('mknod', ['-m', '666', join(root, 'dev', name), 'c', '1', String(minor)]);
  }
  if (BUSYBOX) {
    copyFileSync(BUSYBOX, join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    const applets = execFileSync(BUSYBOX, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const applet of applets) {
      const path = join(root, applet);
      if (existsSync(path) || POWER_COMMANDS.includes(applet)) continue;
      mkdirSync(dirname(path), { recursive: true });
      symlinkSync('/bin/busybox', path);
    }
  }
  const script = (path: string, text: string) => {
    rmSync(join(root, path), { force: true });
    writeFileSync(join(root, path), text, { mode: 0o755 });
  };
  script('usr/bin/sudo', FAKE_SUDO);
  for (const path of POWER_COMMANDS) script(path, `#!/bin/sh\n: > /${POWEROFF_REQUEST}\n`);
  // No mounts: kiln's shrink script finds no filesystem to fill with zeros.
  writeFileSync(join(root, 'proc/mounts'), 'rootfs / rootfs rw 0 0\n');
  writeFileSync(join(root, 'etc/hostname'), `${hostname}\n`);
  writeFileSync(join(root, 'etc/passwd'), `root:x:0:0:root:/root:/bin/sh\n${account.user === 'root' ? '' : `${account.user}:x:1000:1000::${guestHome(account.user)}:/bin/sh\n`}`);
  writeFileSync(join(root, 'etc/kiln-fixture-installed'), `hostname ${hostname} user ${account.user}\n`);
  // Stands in for /etc/shadow and sshd's configuration: whom guest-sshd.ts lets in.
  writeFileSync(join(root, ACCOUNT_FILE), JSON.stringify(account));
  if (account.authorizedKeys.length > 0) {
    mkdirSync(join(root, guestHome(account.user), '.ssh'), { recursive: true });
    writeFileSync(join(root, guestHome(account.user), '.ssh/authorized_keys'), `${account.authorizedKeys.join('\n')}\n`);
  }
}

/** The guest's shutdown: its tree goes into the disk (when it has one and the disk is a VDI). */
export function syncGuestDisk(disk: string): void {
  const root = guestRootOf(disk);
  if (!existsSync(root) || !existsSync(disk) || !isVdi(disk)) return;
  const { create } = createRequire(import.meta.url)('tar') as typeof import('tar');
  const scratch = mkdtempSync(join(tmpdir(), 'kiln-fake-guest-'));
  try {
    const tarFile = join(scratch, 'fs.tar');
    create({ file: tarFile, cwd: root, sync: true, portable: true }, ['.']);
    writeVdi(disk, 0, readFileSync(tarFile));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Deletes the tree with its disk (unregistervm --delete, closemedium --delete). */
export function removeGuestRoot(disk: string): void {
  rmSync(guestRootOf(disk), { recursive: true, force: true });
}
