import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, KilnError } from '../../../lib/errors.js';
import { rejection } from '../../helpers/rejection.js';
import { memoryLog } from '../../../lib/log/log.js';
import { startQemu, type QemuVm } from '../../../lib/hypervisor/qemu/vm.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-vm-'));
const started: QemuVm[] = [];
const fakePids: string[] = [];
let n = 0;

/** A tiny real machine: PS/2 keyboard and VGA exist, so keys and screendumps work. */
function tinyPc(): { argv: string[]; qmpSocket: string } {
  const qmpSocket = join(dir, `q${n++}.sock`);
  return {
    qmpSocket,
    argv: ['-M', 'pc', '-accel', 'tcg', '-m', '64', '-nodefaults', '-display', 'none', '-device', 'VGA', '-qmp', `unix:${qmpSocket},server=on,wait=off`],
  };
}

async function start(extra: { argv: string[]; qmpSocket: string } = tinyPc(), signal?: AbortSignal): Promise<QemuVm> {
  const vm = await startQemu({ binary: 'qemu-system-x86_64', ...extra, signal });
  started.push(vm);
  return vm;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// A stand-in for QEMU that ignores SIGTERM and, in "serve" mode, speaks just enough QMP.
const fakeQemu = join(dir, 'fake-qemu.mjs');
writeFileSync(
  fakeQemu,
  `import net from 'node:net';
import fs from 'node:fs';
const [mode, path, pidFile] = process.argv.slice(2);
fs.writeFileSync(pidFile, String(process.pid));
process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\\n'));
process.stderr.write('fake qemu up\\n');
if (mode === 'serve') {
  net.createServer((s) => {
    s.write('{"QMP": {"version": {"qemu": {"major": 7, "minor": 2, "micro": 0}, "package": ""}, "capabilities": []}}\\r\\n');
    s.on('data', (d) => { for (const line of d.toString().split('\\n').filter(Boolean)) s.write(JSON.stringify({ return: {}, id: JSON.parse(line).id }) + '\\r\\n'); });
  }).listen(path);
}
setInterval(() => {}, 1000);
`,
);
function fake(mode: 'serve' | 'silent') {
  const qmpSocket = join(dir, `f${n++}.sock`);
  const pidFile = join(dir, `f${n++}.pid`);
  fakePids.push(pidFile);
  return { binary: process.execPath, argv: [fakeQemu, mode, qmpSocket, pidFile], qmpSocket, pidFile };
}
const pidOf = (pidFile: string) => Number(readFileSync(pidFile, 'utf8'));
/** Resolves once the fake has written its pid file (node takes a moment to start). */
async function fakeRunning(pidFile: string): Promise<void> {
  while (!existsSync(pidFile)) await new Promise((r) => setTimeout(r, 20));
}


test('keys, screendumps, powerdown and quit on a real VM; the process is gone after', async () => {
  const log = memoryLog();
  const machine = tinyPc();
  const vm = await startQemu({ binary: 'qemu-system-x86_64', ...machine, log });
  started.push(vm);
  assert.ok(alive(vm.pid));
  await vm.sendKeyEvents([
    { qcode: 'shift', down: true },
    { qcode: 'a', down: true },
    { qcode: 'a', down: false },
    { qcode: 'shift', down: false },
  ]);
  await vm.sendKeyEvents([]);
  const bad = await rejection(vm.sendKeyEvents([{ qcode: 'no-such-key', down: true }]));
  assert.is((bad as KilnError).code, 'E_QMP');

  await vm.screendump(join(dir, 'screen.ppm'));
  assert.is(readFileSync(join(dir, 'screen.ppm')).subarray(0, 2).toString(), 'P6');
  await vm.screendump(join(dir, 'screen.png'), 'png');
  assert.equal([...readFileSync(join(dir, 'screen.png')).subarray(1, 4)], [...Buffer.from('PNG')]);

  await vm.powerdown();
  assert.is(await vm.waitForExit(100), false, 'still running');
  await vm.quit();
  assert.equal(await vm.exited, { exitCode: 0, signal: undefined });
  assert.is(await vm.waitForExit(100), true);
  assert.not.ok(alive(vm.pid));
  assert.ok(vm.qmp.closed);
  assert.ok(log.lines.some((l) => l.startsWith('debug: qemu started')));
});

test('a bad -machine fails startup with QEMU\'s own words', async () => {
  const machine = tinyPc();
  machine.argv[1] = 'no-such-board';
  const error = await rejection(start(machine));
  assert.is((error as KilnError).code, 'E_QEMU');
  assert.match(error.message, /QEMU exited during startup \(exit code 1\)/);
  assert.match(error.message, /unsupported machine type/);
  assert.match((error as KilnError).hint ?? '', /machine\.qemu\.args/);
});

test('a missing binary is E_TOOL with an install hint', async () => {
  const error = await rejection(startQemu({ binary: 'qemu-system-nope', argv: [], qmpSocket: join(dir, 'x.sock') }));
  assert.is((error as KilnError).code, 'E_TOOL');
  assert.match((error as KilnError).hint ?? '', /apt-get install/);
});

test('kill() leaves no process behind', async () => {
  const vm = await start();
  const exit = await vm.kill();
  // QEMU catches SIGTERM and exits cleanly.
  assert.equal(exit, { exitCode: 0, signal: undefined });
  assert.match(vm.stderrTail(), /terminating on signal 15/);
  assert.not.ok(alive(vm.pid));
  const error = await rejection(vm.sendKeyEvents([{ qcode: 'a', down: true }]));
  assert.is((error as KilnError).code, 'E_QMP');
});

test('kill() escalates to SIGKILL when SIGTERM is ignored', async () => {
  const f = fake('serve');
  const vm = await startQemu({ binary: f.binary, argv: f.argv, qmpSocket: f.qmpSocket });
  started.push(vm);
  const began = Date.now();
  const exit = await vm.kill(300);
  assert.is(exit.signal, 'SIGKILL');
  assert.ok(Date.now() - began >= 250);
  assert.not.ok(alive(vm.pid));
  assert.match(vm.stderrTail(), /fake qemu up\nignoring SIGTERM/);
});

test('aborting the signal after startup kills QEMU', async () => {
  const controller = new AbortController();
  const vm = await start(tinyPc(), controller.signal);
  controller.abort();
  await vm.exited;
  assert.match(vm.stderrTail(), /terminating on signal 15/);
  assert.not.ok(alive(vm.pid));
});

test('aborting during startup rejects with CancelledError and kills the process', async () => {
  const f = fake('silent');
  const controller = new AbortController();
  void fakeRunning(f.pidFile).then(() => controller.abort());
  const error = await rejection(startQemu({ binary: f.binary, argv: f.argv, qmpSocket: f.qmpSocket, signal: controller.signal }));
  assert.instance(error, CancelledError);
  assert.not.ok(alive(pidOf(f.pidFile)));
});

test('QEMU that never opens QMP times out with E_QEMU, its output, and is killed', async () => {
  const f = fake('silent');
  const error = await rejection(startQemu({ binary: f.binary, argv: f.argv, qmpSocket: f.qmpSocket, startTimeoutMs: 2_000 }));
  assert.is((error as KilnError).code, 'E_QEMU');
  assert.match(error.message, /QEMU did not start: nothing listened on/);
  assert.match(error.message, /fake qemu up/);
  assert.not.ok(alive(pidOf(f.pidFile)));
});

test('QEMU dying under us settles exited and closes QMP', async () => {
  const vm = await start();
  process.kill(vm.pid, 'SIGKILL');
  assert.equal(await vm.exited, { exitCode: undefined, signal: 'SIGKILL' });
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(vm.qmp.closed);
});

test('waitForExit: false on timeout, CancelledError on abort', async () => {
  const vm = await start();
  assert.is(await vm.waitForExit(50), false);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  assert.instance(await rejection(vm.waitForExit(10_000, controller.signal)), CancelledError);
  await vm.kill();
});

test.after(async () => {
  await Promise.allSettled(started.map((vm) => vm.kill(1_000)));
  for (const file of fakePids) {
    try {
      process.kill(pidOf(file), 'SIGKILL');
    } catch {
      // already gone, or never started
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test.run();
