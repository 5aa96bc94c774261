#!/usr/bin/env node
// The driver-level check for a machine with VirtualBox, below `kiln build` (which
// fixtures/virtualbox-manual-e2e.sh checks): the driver alone installs the fixture ISO
// in a real VirtualBox VM, which narrows down where a failing build goes wrong. It serves the
// answer file on 127.0.0.1, boots the ISO headless, waits for ISOLINUX's `boot:` on
// the serial file, types the boot command with keyboardputscancode, waits for the
// installer to power the VM off, checks the serial markers, exports an OVA and removes
// the VM. The driver tests run the same function against the fake VBoxManage.
//
//   node dist/test/hypervisor/virtualbox/manual-e2e.js --iso PATH [--work DIR] [--vboxmanage BIN] [--keep]

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { list as listTar } from 'tar';
import { startVirtualBoxVm } from '../../../lib/hypervisor/virtualbox/create.js';
import { defaultVBoxManageBinary, vboxManage, type VBoxManage } from '../../../lib/hypervisor/virtualbox/run.js';
import { planScancodeCalls } from '../../../lib/hypervisor/virtualbox/scancode-calls.js';
import { uniqueVmName } from '../../../lib/hypervisor/virtualbox/spec.js';
import type { VirtualBoxVm } from '../../../lib/hypervisor/virtualbox/vm.js';
import { parseBootCommand } from '../../../lib/keyboard/parse.js';
import type { Log } from '../../../lib/log/log.js';
import { decodePng } from '../../../lib/screen/png.js';
import { sleep } from '../../../lib/util/sleep.js';

export interface ManualE2eOptions {
  iso: string;
  workDir: string;
  vbox: VBoxManage;
  signal?: AbortSignal;
  keep?: boolean;
  /** How long the install may take; VirtualBox with hardware virtualisation needs ~1 min. */
  installTimeoutMs?: number;
  say?: (line: string) => void;
  pollIntervalMs?: number;
}

const ANSWERS = 'hostname vboxcheck\nuser kiln\npassword kiln\nfinish poweroff\n';

/** Runs the check; resolves with the problems found ([] when it passed). */
export async function runManualE2e(options: ManualE2eOptions): Promise<string[]> {
  const say = options.say ?? ((line: string) => console.log(line));
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) problems.push(what);
  };
  const started = Date.now();
  const step = (what: string) => say(`---- ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const requests: string[] = [];
  const server = await serveAnswers(requests);
  const port = (server.address() as AddressInfo).port;
  const serialLog = join(options.workDir, 'serial.log');
  const name = uniqueVmName('manual-e2e', randomBytes(4).toString('hex'));
  let vm: VirtualBoxVm | undefined;
  try {
    step(`creating and starting VM ${name}`);
    vm = await startVirtualBoxVm({
      vbox: options.vbox,
      log: debugLog(say),
      signal: options.signal,
      pollIntervalMs: options.pollIntervalMs,
      spec: {
        name,
        // The fixture's cloud kernel has virtio-net and IDE (ata_piix); see fixtures/README.md.
        osType: 'Linux26_64',
        baseFolder: join(options.workDir, 'vbox'),
        cpus: 1,
        memoryMiB: 512,
        firmware: 'bios',
        chipset: 'piix3',
        graphics: 'vmsvga',
        vramMiB: 16,
        nicType: 'virtio',
        serialLog,
        disk: { path: join(options.workDir, 'vbox', name, `${name}.vdi`), sizeMiB: 1024, interface: 'ide' },
        iso: options.iso,
        modifyvm: [],
      },
    });
    say(`VirtualBox ${vm.version.text}`);
    step('waiting for the boot: prompt on the serial port');
    check(await waitFor(() => read(serialLog).includes('boot:'), 120_000, options.signal), 'ISOLINUX printed boot: on the serial port');
    const screen = join(options.workDir, 'boot-prompt.png');
    await vm.screendump(screen, 'png');
    check(decodePng(readFileSync(screen)).width > 0, `screenshotpng wrote a PNG (${screen})`);

    step('typing the boot command');
    const typed = `install ks=http://10.0.2.2:${port}/ks.cfg kiln.check=Type_TEST:a/B=c+D~x@y,z%`;
    for (const s of planScancodeCalls(parseBootCommand(`${typed}<enter>`))) {
      if (s.kind === 'scancodes') await vm.sendScancodes(s.bytes, options.signal);
      await sleep(20, options.signal);
    }
    step('waiting for the install to finish and power off');
    const stopped = await vm.waitForExit(options.installTimeoutMs ?? 10 * 60_000, options.signal);
    check(stopped, 'the guest powered itself off after installing');
    const serial = read(serialLog);
    const cmdline = /KILN-FIXTURE-CMDLINE: (.*)/.exec(serial)?.[1]?.trim() ?? '';
    check(cmdline.endsWith(typed.slice('install '.length)), `the kernel got exactly what was typed (${cmdline || 'no CMDLINE line'})`);
    check(requests.includes('/ks.cfg'), 'the guest fetched the answer file from 10.0.2.2 (the host loopback)');
    check(serial.includes('KILN-FIXTURE: install complete, powering off'), 'the installer completed');
    if (!stopped) await vm.kill();

    step('exporting an OVA');
    const ova = join(options.workDir, `${name}.ova`);
    await vm.exportAppliance({ output: ova, manifest: true }, options.signal);
    const members: string[] = [];
    await listTar({ file: ova, onReadEntry: (e) => void members.push(e.path) });
    check(members[0]?.endsWith('.ovf') === true && members.some((m) => m.endsWith('.vmdk')), `the OVA holds an OVF and a VMDK (${members.join(', ')})`);
  } catch (error) {
    problems.push((error as Error).message);
    say(`FAIL ${(error as Error).message}`);
    say(`serial.log ends with:\n${read(serialLog).split('\n').slice(-15).join('\n')}`);
    if (vm) say(`VBoxManage said:\n${vm.stderrTail()}`);
  } finally {
    server.close();
    if (vm && !options.keep) {
      step('removing the VM');
      await vm.destroy();
      const listed = (await options.vbox.run(['list', 'vms'])).stdout;
      check(!listed.includes(`"${name}"`), 'no VM is left registered');
    } else if (vm) say(`kept VM ${name}: VBoxManage unregistervm ${name} --delete`);
  }
  step(problems.length === 0 ? 'PASSED' : `FAILED: ${problems.length} problem(s)`);
  return problems;
}

function serveAnswers(requests: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/ks.cfg') res.writeHead(200, { 'content-type': 'text/plain' }).end(ANSWERS);
    else res.writeHead(404).end();
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

async function waitFor(condition: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await sleep(250, signal);
  }
  return condition();
}

function debugLog(say: (line: string) => void): Log {
  const verbose = process.env.KILN_DEBUG === '1';
  return { info: say, warn: (m) => say(`warn: ${m}`), debug: (m) => verbose && say(`debug: ${m}`), output: (s, l) => verbose && say(`${s}: ${l}`) };
}

async function cli(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const iso = arg('--iso');
  if (!iso) {
    console.error('usage: manual-e2e.js --iso PATH [--work DIR] [--vboxmanage BIN] [--keep]');
    return 2;
  }
  const workDir = resolve(arg('--work') ?? mkdtempSync(join(tmpdir(), 'kiln-vbox-check-')));
  mkdirSync(workDir, { recursive: true });
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
  const problems = await runManualE2e({
    iso: resolve(iso),
    workDir,
    vbox: vboxManage(arg('--vboxmanage') ?? defaultVBoxManageBinary()),
    signal: controller.signal,
    keep: argv.includes('--keep'),
  });
  if (problems.length === 0 && !argv.includes('--keep') && !arg('--work')) rmSync(workDir, { recursive: true, force: true });
  else console.log(`files are in ${workDir}`);
  return problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
