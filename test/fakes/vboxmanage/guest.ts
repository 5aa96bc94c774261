// A guest behind the fake's keyboard, for builds against the fake end to end
// (config.guest = 'kiln-fixture'): it plays the kiln fixture installer of
// fixtures/README.md. At the ISOLINUX `boot:` prompt, a typed `install ks=URL`
// line and Enter make it print the KILN-FIXTURE markers on the serial file, fetch
// the answer file the way the guest would reach it through VirtualBox NAT (10.0.2.2
// is the host's loopback only on 6.1, or on 7.x with --nat-localhostreachable1 on),
// install its system (guest-root.ts: a tree beside the disk that SSH logins see), and
// power off or "reboot".

import type { Ctx } from './context.js';
import { serialFile } from './cmd-control.js';
import { installGuestRoot, type GuestAccount } from './guest-root.js';
import { advance, appendTo, clock, readState, withLock, writeState, type FakeVm } from './state.js';

const CMDLINE_PREFIX = 'BOOT_IMAGE=/kiln/vmlinuz console=tty0 console=ttyS0,115200n8 kiln.mode=installer initrd=/kiln/initrd.img';

export function guestPoweredOn(ctx: Ctx, vm: FakeVm): void {
  if (ctx.state.config.guest !== 'kiln-fixture') return;
  const serial = serialFile(vm);
  const hasIso = vm.attachments.some((a) => a.type === 'dvddrive' && a.medium);
  vm.guest = { consumed: vm.typed.length, phase: 'boot-prompt' };
  if (hasIso) {
    if (serial) appendTo(serial, 'ISOLINUX 6.04 fake\r\nboot: ');
  } else {
    vm.guest.phase = 'installed';
    if (serial) appendTo(serial, 'KILN-FIXTURE: installed system up\r\n');
  }
}

/** Reacts to newly typed text: each <enter> at the boot prompt ends a command line. */
export function guestTyped(ctx: Ctx, vm: FakeVm): void {
  const guest = vm.guest;
  if (ctx.state.config.guest !== 'kiln-fixture' || !guest || guest.phase !== 'boot-prompt') return;
  const fresh = vm.typed.slice(guest.consumed);
  const enter = fresh.indexOf('<enter>');
  if (enter < 0) return;
  const line = fresh.slice(0, enter).trim();
  guest.consumed += enter + '<enter>'.length;
  const serial = serialFile(vm);
  const say = (text: string) => serial && appendTo(serial, `${text}\r\n`);
  say(line);
  if (!line.startsWith('install')) {
    say(`Could not find kernel image: ${line}`);
    if (serial) appendTo(serial, 'boot: ');
    return;
  }
  const args = line.slice('install'.length).trim();
  say(`KILN-FIXTURE-CMDLINE: ${CMDLINE_PREFIX}${args ? ` ${args}` : ''}`);
  guest.phase = 'installing';
  const url = /(?:^|\s)ks=(\S+)/.exec(args)?.[1];
  const reachLoopback = ctx.version.number < 700 || vm.settings.natlocalhostreachable1 === 'on';
  const { statePath } = ctx;
  const name = vm.name;
  ctx.after.push(async () => {
    const outcome = await install(url, reachLoopback);
    withLock(statePath, () => {
      const state = readState(statePath);
      const now = clock(state);
      advance(state, now);
      const target = state.vms.find((v) => v.name === name);
      if (!target || target.state !== 'running') return;
      const out = serialFile(target);
      for (const l of outcome.lines) if (out) appendTo(out, `${l}\r\n`);
      const disk = target.attachments.find((a) => a.type === 'hdd' && a.medium)?.medium;
      if (outcome.installed && disk) installGuestRoot(disk, outcome.installed.hostname, outcome.installed.account);
      if (outcome.finish === 'poweroff') target.powerOffAt = now + 200;
      target.guest = { consumed: target.guest?.consumed ?? 0, phase: outcome.finish === 'reboot' ? 'installed' : 'off' };
      writeState(statePath, state);
    });
  });
}

interface Outcome {
  lines: string[];
  installed?: { hostname: string; account: GuestAccount };
  finish: 'poweroff' | 'reboot';
}

async function install(url: string | undefined, reachLoopback: boolean): Promise<Outcome> {
  const lines: string[] = [];
  const fail = (message: string): Outcome => ({ lines: [...lines, `KILN-FIXTURE-ERROR: ${message}`], finish: 'poweroff' });
  if (!url) return fail('no ks= on the kernel command line');
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return fail(`bad answer file URL ${url}`);
  }
  lines.push(`KILN-FIXTURE: fetching answer file ${url}`);
  if (target.hostname === '10.0.2.2') {
    if (!reachLoopback) return fail(`cannot fetch answer file ${url} (connection refused)`);
    target.hostname = '127.0.0.1';
  }
  let text: string;
  try {
    const response = await fetch(target, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return fail(`answer file ${url}: HTTP ${response.status}`);
    text = await response.text();
  } catch (e) {
    return fail(`cannot fetch answer file ${url} (${(e as Error).message})`);
  }
  const answers = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const [key, ...rest] = l.split(/\s+/);
    answers.set(key!, [...(answers.get(key!) ?? []), rest.join(' ')]);
  }
  const user = answers.get('user')?.[0];
  if (!user) return fail('the answer file has no user line');
  const hostname = answers.get('hostname')?.[0] ?? 'kiln';
  const keys = answers.get('authorized_key')?.length ?? 0;
  const finish = answers.get('finish')?.[0] === 'poweroff' ? 'poweroff' : 'reboot';
  lines.push(
    `KILN-FIXTURE: answer file ok (hostname ${hostname}, user ${user}, ${keys} key(s), password ${answers.has('password') ? 'set' : 'none'})`,
    'KILN-FIXTURE: partitioning',
    'KILN-FIXTURE: installing',
    `KILN-FIXTURE: install complete, ${finish === 'poweroff' ? 'powering off' : 'rebooting'}`,
  );
  if (finish === 'reboot') lines.push('KILN-FIXTURE: installed system up');
  const account = { user, password: answers.get('password')?.[0], authorizedKeys: answers.get('authorized_key') ?? [] };
  return { lines, installed: { hostname, account }, finish };
}
