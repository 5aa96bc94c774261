// Saving and loading a machine state on a real QEMU (no guest needed: -machine none):
// the state streams through zstd into its file while the VM is paused, or in QEMU's
// background-snapshot mode after the VM runs again; another QEMU started with -incoming
// defer loads it, and a truncated state makes QEMU give up (the build then boots). A
// layer writer that keeps memory records the state's size and sha256.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LayerWriter, type LiveGuest } from '../../../lib/cache/layer-writer.js';
import { STATE_FILE } from '../../../lib/cache/layout.js';
import type { PlannedStage } from '../../../lib/cache/plan.js';
import { LayerStore } from '../../../lib/cache/store.js';
import { snapshotToOverlay } from '../../../lib/hypervisor/qemu/live-snapshot.js';
import { enableBackgroundSnapshot, loadMachineState, saveMachineState } from '../../../lib/hypervisor/qemu/machine-state.js';
import { startQemu, type QemuVm } from '../../../lib/hypervisor/qemu/vm.js';
import { memoryLog } from '../../../lib/log/log.js';
import { removeScratch, scratch } from '../../helpers/scratch-dir.js';

const exec = promisify(execFile);
const started: QemuVm[] = [];
const signal = new AbortController().signal;

test.after(async () => {
  await Promise.all(started.map((vm) => vm.kill()));
  await removeScratch();
});

async function vm(dir: string, extra: string[] = [], disk?: string): Promise<QemuVm> {
  const qmpSocket = join(dir, `qmp-${started.length}.sock`);
  const drive = disk ? ['-drive', `file=${disk},if=none,id=disk0,format=qcow2,cache=unsafe`] : [];
  const argv = ['-machine', 'none', '-m', '64M', '-nodefaults', '-display', 'none', ...drive, '-qmp', `unix:${qmpSocket},server=on,wait=off`, ...extra];
  const qemu = await startQemu({ binary: 'qemu-system-x86_64', argv, qmpSocket });
  started.push(qemu);
  return qemu;
}

const status = async (v: QemuVm) => (await v.qmp.execute<{ status: string }>('query-status')).status;

test('a saved state is a valid zstd file written while the VM was paused; the VM runs again; another QEMU loads it', async () => {
  const dir = await scratch();
  const source = await vm(dir);
  const file = join(dir, 'state.zst');
  const seen: string[] = [];
  const saved = await saveMachineState(source.qmp, { file, runDir: dir, signal, whilePaused: async () => void seen.push(await status(source)) });
  assert.equal(seen, ['paused']);
  assert.is(await status(source), 'running');
  assert.is(saved.background, false);
  assert.ok((await saved.written) > 0 && saved.pauseMs >= 0);
  await exec('zstd', ['-tq', file]);

  const target = await vm(dir, ['-S', '-incoming', 'defer']);
  const ms = await loadMachineState(target.qmp, { file, runDir: dir, exited: target.exited, signal });
  assert.ok(ms >= 0);
  assert.is(await status(target), 'running');
});

test('in background-snapshot mode the guest runs again before the state is whole, and the state loads', async () => {
  const dir = await scratch();
  const source = await vm(dir, ['-machine', 'pc', '-m', '256M']);
  assert.is(await enableBackgroundSnapshot(source.qmp, signal), 'on', 'this host kernel write-protects guest memory (userfaultfd)');
  const file = join(dir, 'state.zst');
  const seen: string[] = [];
  const saved = await saveMachineState(source.qmp, { file, runDir: dir, signal, background: true, whilePaused: async () => void seen.push(await status(source)) });
  assert.equal(seen, ['paused']);
  assert.is(saved.background, true);
  assert.is(await status(source), 'running', 'QEMU resumed the guest itself');
  assert.ok((await saved.written) > 0);
  assert.is(await status(source), 'running');
  await exec('zstd', ['-tq', file]);

  const target = await vm(dir, ['-machine', 'pc', '-m', '256M', '-S', '-incoming', 'defer']);
  await loadMachineState(target.qmp, { file, runDir: dir, exited: target.exited, signal });
  assert.is(await status(target), 'running');
});

test('a background save whose QEMU goes away rejects and leaves no state file', async () => {
  const dir = await scratch();
  const source = await vm(dir, ['-machine', 'pc', '-m', '1G']);
  await enableBackgroundSnapshot(source.qmp, signal);
  const file = join(dir, 'state.zst');
  const saved = await saveMachineState(source.qmp, { file, runDir: dir, signal, background: true, whilePaused: async () => {} });
  await source.kill();
  await saved.written.then(
    () => assert.unreachable('a state was written by a QEMU that was killed'),
    (error: Error) => assert.match(error.message, /QEMU|QMP|closed|zstd/),
  );
  assert.is(await stat(file).then(() => true, () => false), false);
});

test('a truncated state does not load: QEMU exits and the load says so', async () => {
  const dir = await scratch();
  const file = join(dir, 'state.zst');
  await saveMachineState((await vm(dir)).qmp, { file, runDir: dir, signal, whilePaused: async () => {} });
  await truncate(file, 64);
  const target = await vm(dir, ['-S', '-incoming', 'defer']);
  await loadMachineState(target.qmp, { file, runDir: dir, exited: target.exited, signal }).then(
    () => assert.unreachable('a truncated state loaded'),
    (error: Error) => assert.match(error.message, /QEMU exited while loading the saved machine state|zstd could not read the saved machine state/),
  );
});

/** A layer writer that keeps memory, its first disk attached to a running QEMU, and a guest on it whose saveState is `save`. */
async function writerOnVm(stages: PlannedStage[], save: (running: QemuVm, cacheDir: string) => LiveGuest['saveState']) {
  const cacheDir = await scratch();
  const store = new LayerStore(cacheDir);
  const log = memoryLog();
  const writer = new LayerWriter(store, stages, undefined, 0, 16 << 20, { template: 't', kiln: 'test', keepMemory: true }, log);
  const active = await writer.start(signal);
  const running = await vm(cacheDir, [], active.disk);
  const guest: LiveGuest = {
    exec: async () => ({ exitCode: 0 }),
    snapshotDisk: (disk: string, overlay: string, s: AbortSignal) => snapshotToOverlay(running.qmp, disk, overlay, s),
    saveState: save(running, cacheDir),
  };
  return { store, log, writer, guest };
}

test('a layer writer that keeps memory stores the state beside the disk, with its size and sha256 in the record', async () => {
  const stages: PlannedStage[] = [
    { label: 'install', kind: 'install', key: 'a'.repeat(64), state: 'running', cacheable: true, inputs: {} },
    { label: 'shutdown', kind: 'shutdown', key: 'b'.repeat(64), state: 'stopped', cacheable: true, inputs: {} },
  ];
  const { store, log, writer, guest } = await writerOnVm(stages, (running, cacheDir) => async (file, whilePaused, s) => ({
    ...(await saveMachineState(running.qmp, { file, runDir: cacheDir, whilePaused, signal: s })),
    fingerprint: { accelerator: 'tcg' },
  }));
  await writer.checkpointLive('install', guest, {}, signal);
  await writer.settle(false);
  const [layer] = (await store.list()).layers;
  const state = await readFile(join(layer!.dir, STATE_FILE));
  assert.equal(layer!.record.memory && { ...layer!.record.memory, pauseMs: 0 }, { sha256: createHash('sha256').update(state).digest('hex'), bytes: state.length, pauseMs: 0, fingerprint: { accelerator: 'tcg' } });
  assert.match(log.lines.join('\n'), /checkpoint install: layer \S+ \(\d+ ms; memory \S+, guest paused \d+ ms\)/);
});

test('a layer whose background save failed keeps its disk only and says why', async () => {
  const stages: PlannedStage[] = [{ label: 'install', kind: 'install', key: 'c'.repeat(64), state: 'running', cacheable: true, inputs: {} }];
  const { store, log, writer, guest } = await writerOnVm(stages, () => async (_file, whilePaused) => {
    await whilePaused();
    const written = Promise.reject(new Error('zstd could not write the machine state'));
    written.catch(() => {});
    return { pauseMs: 5, background: true, written, fingerprint: {} };
  });
  const taken = await writer.checkpointLive('install', guest, {}, signal);
  assert.equal(taken && taken.memory, 'background');
  await writer.settle(false);
  const [layer] = (await store.list()).layers;
  assert.ok(layer, 'the layer is stored');
  assert.is(layer!.record.memory, undefined);
  assert.match(log.lines.join('\n'), /checkpoint install: the layer keeps its disk only, not the guest's memory: zstd could not write/);
});

test.run();
