// Holding QEMU at the guest's power-off while a memory checkpoint is still being written,
// on a real QEMU with no guest: a reset with `set-action reboot=shutdown` stands in for the
// guest powering off. QEMU stays (paused, status "shutdown") until the state is whole,
// then quits; a state whose stream outlived the power-off still loads.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { enableBackgroundSnapshot, loadMachineState, saveMachineState } from '../../../lib/hypervisor/qemu/machine-state.js';
import { holdPowerOffUntil } from '../../../lib/hypervisor/qemu/power-off-hold.js';
import { startQemu, type QemuVm } from '../../../lib/hypervisor/qemu/vm.js';
import { removeScratch, scratch } from '../../helpers/scratch-dir.js';

const started: QemuVm[] = [];
const signal = new AbortController().signal;

test.after(async () => {
  await Promise.all(started.map((vm) => vm.kill()));
  await removeScratch();
});

async function vm(dir: string, extra: string[]): Promise<QemuVm> {
  const qmpSocket = join(dir, `qmp-${started.length}.sock`);
  const argv = ['-machine', 'pc', '-nodefaults', '-display', 'none', '-qmp', `unix:${qmpSocket},server=on,wait=off`, ...extra];
  const qemu = await startQemu({ binary: 'qemu-system-x86_64', argv, qmpSocket });
  started.push(qemu);
  return qemu;
}

const status = async (v: QemuVm) => (await v.qmp.execute<{ status: string }>('query-status')).status;
/** The guest "powers off": with reboot=shutdown a reset is a shutdown request, like the guest's own. */
async function powerOff(v: QemuVm): Promise<void> {
  await v.qmp.execute('set-action', { reboot: 'shutdown' });
  await v.qmp.execute('system_reset');
}
const exitedWithin = (v: QemuVm, ms: number) => Promise.race([v.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

test('QEMU stays at the power-off until the state is written, then quits; lingered says how long', async () => {
  const dir = await scratch();
  const source = await vm(dir, ['-m', '64M']);
  let finish!: () => void;
  const written = new Promise<void>((resolve) => (finish = resolve));
  const { lingered } = await holdPowerOffUntil(source.qmp, written, signal);
  await powerOff(source);
  await new Promise((r) => setTimeout(r, 300));
  assert.is(await status(source), 'shutdown', 'QEMU exited at the power-off');
  finish();
  assert.ok(await exitedWithin(source, 10_000), 'QEMU did not quit once the state was written');
  assert.ok((await lingered) >= 250, `lingered ${await lingered} ms`);
});

test('a state written before the power-off: QEMU exits at the power-off by itself, having lingered 0 ms', async () => {
  const dir = await scratch();
  const source = await vm(dir, ['-m', '64M']);
  const { lingered } = await holdPowerOffUntil(source.qmp, Promise.resolve(), signal);
  assert.is(await lingered, 0);
  assert.is(await status(source), 'running');
  await powerOff(source);
  assert.ok(await exitedWithin(source, 10_000), 'QEMU did not exit at the power-off');
});

test('a background save that outlives the power-off is written whole and loads', async () => {
  const dir = await scratch();
  // 2 GiB of RAM: the stream is still running when the guest powers off right after the save starts.
  const source = await vm(dir, ['-m', '2G']);
  assert.is(await enableBackgroundSnapshot(source.qmp, signal), 'on');
  const file = join(dir, 'state.zst');
  const saved = await saveMachineState(source.qmp, { file, runDir: dir, signal, background: true, whilePaused: async () => {} });
  const { lingered } = await holdPowerOffUntil(source.qmp, saved.written, signal);
  const migration = (await source.qmp.execute<{ status?: string }>('query-migrate')).status;
  await powerOff(source);
  assert.is(migration, 'active', 'the stream had ended before the power-off: this case tests nothing');
  assert.ok((await saved.written) > 0);
  assert.ok(await exitedWithin(source, 10_000), 'QEMU did not quit once the state was written');
  assert.ok((await lingered) >= 0);

  const target = await vm(dir, ['-m', '2G', '-S', '-incoming', 'defer']);
  await loadMachineState(target.qmp, { file, runDir: dir, exited: target.exited, signal });
  assert.is(await status(target), 'running');
});

test.run();
