// The simulated guest's SSH server and VirtualBox's NAT in front of it, run in the test
// process (the fake VBoxManage is a process per call). It watches the fake's state:
// while a VM runs with a NAT rule to guest port 22, the rule's 127.0.0.1 host port is
// bound (nat-forward.ts), and once the guest is installed an ssh2 server (test/ssh/
// helpers) behind it admits the account the answer file created; commands run chrooted
// in the guest's tree (guest-root.ts). A power-off command in the guest powers the VM
// off a moment later, and sshd and then the forward go away with the guest, as real ones
// would. Tests can act on what the guest sees (onEvent) instead of guessing when.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeSshServer, type FakeSshServer } from '../../ssh/helpers/fake-ssh-server.js';
import { ACCOUNT_FILE, guestRootOf, POWEROFF_REQUEST, type GuestAccount } from './guest-root.js';
import type { FakeVBox } from './install.js';
import { startNatForward, type NatForward } from './nat-forward.js';
import { advance, clock, readState, withLock, writeState, type FakeVm } from './state.js';

/** How long the guest takes from `poweroff` to off. */
const SHUTDOWN_MS = 300;

/** What a guest sees on its SSH port: a connection through NAT, a command, an SFTP session. */
export type GuestEvent = { vm: string } & ({ kind: 'connection' } | { kind: 'exec'; command: string } | { kind: 'sftp' });

export interface GuestSshd {
  /** The commands each guest ran over SSH, by VM name, for assertions. */
  commands(vm: string): string[];
  /** Calls `listener` with each GuestEvent as it happens; returns the unsubscribe. */
  onEvent(listener: (event: GuestEvent) => void): () => void;
  stop(): Promise<void>;
}

/** A running VM's port forward, and its sshd while the installed guest runs. */
interface Guest {
  vm: string;
  nat: NatForward;
  sshd?: FakeSshServer;
}

export function startGuestSshd(fake: FakeVBox, options: { pollMs?: number } = {}): GuestSshd {
  if (process.getuid?.() !== 0) throw new Error('the fake guest runs SSH commands chrooted into its tree (unshare, chroot, mknod): run this suite as root');
  const guests = new Map<string, Guest>();
  const history = new Map<string, string[]>();
  const listeners = new Set<(event: GuestEvent) => void>();
  const emit = (event: GuestEvent) => listeners.forEach((listener) => listener(event));
  const reported = new Set<string>();
  // Once per problem: a fake that silently stops answering makes a test wait for its whole SSH timeout.
  const report = (message: string) => void (reported.has(message) || (reported.add(message), console.error(`fake VirtualBox guest: ${message}`)));

  const stopSshd = async (guest: Guest) => {
    const sshd = guest.sshd;
    if (!sshd) return;
    guest.sshd = undefined;
    guest.nat.target = undefined;
    history.set(guest.vm, [...(history.get(guest.vm) ?? []), ...sshd.execs.map((e) => e.command)]);
    await sshd.close();
  };
  const remove = async (uuid: string) => {
    const guest = guests.get(uuid);
    if (!guest) return;
    guests.delete(uuid);
    await stopSshd(guest);
    await guest.nat.close();
  };

  const poll = async () => {
    const running = new Set<string>();
    for (const vm of fake.state().vms) {
      const port = natPort(vm);
      if (port === undefined) continue;
      running.add(vm.uuid);
      let guest = guests.get(vm.uuid);
      if (!guest) {
        try {
          guest = { vm: vm.name, nat: await startNatForward(port, () => emit({ vm: vm.name, kind: 'connection' })) };
        } catch (error) {
          report(`cannot forward 127.0.0.1:${port} to ${vm.name}: ${(error as Error).message} (VirtualBox would not retry; the fake does, each round)`);
          continue;
        }
        guests.set(vm.uuid, guest);
      }
      const installed = installedGuest(vm);
      if (installed && existsSync(join(installed.root, POWEROFF_REQUEST))) {
        rmSync(join(installed.root, POWEROFF_REQUEST), { force: true });
        powerOffSoon(fake, vm.name);
        await stopSshd(guest);
      } else if (!installed) {
        await stopSshd(guest);
      } else if (!guest.sshd) {
        const { root, account } = installed;
        const name = vm.name;
        guest.sshd = await startFakeSshServer({
          root,
          username: account.user,
          password: account.password,
          publicKey: account.authorizedKeys[0],
          onExec: (command) => emit({ vm: name, kind: 'exec', command }),
          onSftp: () => emit({ vm: name, kind: 'sftp' }),
        });
        guest.nat.target = guest.sshd.port;
      }
    }
    for (const uuid of [...guests.keys()]) if (!running.has(uuid)) await remove(uuid);
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  const loop = () => {
    polling = poll()
      .catch((error: Error) => report(`poll failed: ${error.stack ?? error.message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, options.pollMs ?? 100);
      });
  };
  loop();

  return {
    commands: (vm) => [...(history.get(vm) ?? []), ...[...guests.values()].filter((g) => g.vm === vm).flatMap((g) => g.sshd?.execs.map((e) => e.command) ?? [])],
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // A round under way may still bind a port or write the state: let it finish first.
      await polling;
      for (const uuid of [...guests.keys()]) await remove(uuid);
    },
  };
}

/** The host port of a running VM's NAT rule to guest port 22, if it has one. */
function natPort(vm: FakeVm): number | undefined {
  if (vm.state !== 'running') return undefined;
  // "name,tcp,hostip,hostport,guestip,guestport" on NIC 1 (the NAT adapter), to sshd's port 22.
  const rule = vm.natRules.map((r) => r.rule.split(',')).find((f) => f[1] === 'tcp' && f[5] === '22');
  return rule ? Number(rule[3]) : undefined;
}

/** The installed system of a guest that has booted it, if it has. */
function installedGuest(vm: FakeVm): { root: string; account: GuestAccount } | undefined {
  if (vm.guest?.phase !== 'installed') return undefined;
  const disk = vm.attachments.find((a) => a.type === 'hdd' && a.medium)?.medium;
  if (!disk) return undefined;
  const root = guestRootOf(disk);
  if (!existsSync(join(root, ACCOUNT_FILE))) return undefined;
  return { root, account: JSON.parse(readFileSync(join(root, ACCOUNT_FILE), 'utf8')) as GuestAccount };
}

/** The guest ran poweroff: VirtualBox sees it stop shortly after. */
function powerOffSoon(fake: FakeVBox, name: string): void {
  withLock(fake.statePath, () => {
    const state = readState(fake.statePath);
    const now = clock(state);
    advance(state, now);
    const vm = state.vms.find((v) => v.name === name);
    if (vm?.state === 'running' && vm.powerOffAt === undefined) vm.powerOffAt = now + SHUTDOWN_MS;
    if (vm?.guest) vm.guest.phase = 'off';
    writeState(fake.statePath, state);
  });
}
