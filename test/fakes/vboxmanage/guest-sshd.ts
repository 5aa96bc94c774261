// The simulated guest's SSH server, run in the test process (the fake VBoxManage is a
// process per call, and VirtualBox's NAT engine is not simulated by it). It watches the
// fake's state: while an installed guest runs and its NIC has a NAT rule to guest port
// 22, an ssh2 server (test/ssh/helpers) answers on the rule's 127.0.0.1 host port and
// admits the account the answer file created; commands run chrooted in the guest's
// tree (guest-root.ts). A power-off command in the guest powers the VM off a moment
// later, and the server goes away with the guest, as a real one would.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeSshServer, type FakeSshServer } from '../../ssh/helpers/fake-ssh-server.js';
import { ACCOUNT_FILE, guestRootOf, POWEROFF_REQUEST, type GuestAccount } from './guest-root.js';
import type { FakeVBox } from './install.js';
import { advance, clock, readState, withLock, writeState, type FakeVm } from './state.js';

/** How long the guest takes from `poweroff` to off. */
const SHUTDOWN_MS = 300;

export interface GuestSshd {
  /** The commands each guest ran over SSH, by VM name, for assertions. */
  commands(vm: string): string[];
  stop(): Promise<void>;
}

interface Served {
  vm: string;
  port: number;
  server: FakeSshServer;
}

export function startGuestSshd(fake: FakeVBox, options: { pollMs?: number } = {}): GuestSshd {
  if (process.getuid?.() !== 0) throw new Error('the fake guest runs SSH commands chrooted into its tree (unshare, chroot, mknod): run this suite as root');
  const served = new Map<string, Served>();
  const starting = new Set<string>();
  const history = new Map<string, string[]>();
  let stopped = false;

  const close = async (uuid: string) => {
    const entry = served.get(uuid);
    if (!entry) return;
    served.delete(uuid);
    history.set(entry.vm, [...(history.get(entry.vm) ?? []), ...entry.server.execs.map((e) => e.command)]);
    await entry.server.close();
  };

  const poll = async () => {
    const state = fake.state();
    const live = new Set<string>();
    for (const vm of state.vms) {
      const guest = sshTarget(vm);
      if (!guest) continue;
      live.add(vm.uuid);
      if (existsSync(join(guest.root, POWEROFF_REQUEST))) {
        rmSync(join(guest.root, POWEROFF_REQUEST), { force: true });
        powerOffSoon(fake, vm.name);
        live.delete(vm.uuid);
        continue;
      }
      if (served.has(vm.uuid) || starting.has(vm.uuid)) continue;
      starting.add(vm.uuid);
      const { account } = guest;
      try {
        const server = await startFakeSshServer({ port: guest.port, root: guest.root, username: account.user, password: account.password, publicKey: account.authorizedKeys[0] });
        served.set(vm.uuid, { vm: vm.name, port: guest.port, server });
      } catch {
        // The port is still taken (a previous guest's connection closing): next round.
      } finally {
        starting.delete(vm.uuid);
      }
    }
    for (const uuid of [...served.keys()]) if (!live.has(uuid)) await close(uuid);
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    await poll().catch(() => {});
    if (!stopped) timer = setTimeout(loop, options.pollMs ?? 100);
  };
  void loop();

  return {
    commands: (vm) => [...(history.get(vm) ?? []), ...[...served.values()].filter((s) => s.vm === vm).flatMap((s) => s.server.execs.map((e) => e.command))],
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const uuid of [...served.keys()]) await close(uuid);
    },
  };
}

/** Where an installed, running guest can be reached over SSH, if it can. */
function sshTarget(vm: FakeVm): { root: string; port: number; account: GuestAccount } | undefined {
  if (vm.state !== 'running' || vm.guest?.phase !== 'installed') return undefined;
  const disk = vm.attachments.find((a) => a.type === 'hdd' && a.medium)?.medium;
  if (!disk) return undefined;
  const root = guestRootOf(disk);
  if (!existsSync(join(root, ACCOUNT_FILE))) return undefined;
  // "name,tcp,hostip,hostport,guestip,guestport" on NIC 1 (the NAT adapter), to sshd's port 22.
  const rule = vm.natRules.map((r) => r.rule.split(',')).find((f) => f[1] === 'tcp' && f[5] === '22');
  if (!rule) return undefined;
  return { root, port: Number(rule[3]), account: JSON.parse(readFileSync(join(root, ACCOUNT_FILE), 'utf8')) as GuestAccount };
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
