// A VirtualBox VM as the build drives it, with the operations the QEMU driver offers
// (sendKeyEvents, screendump, powerdown, waitForExit, kill, exited, stderrTail), so
// both can sit behind one interface. VirtualBox runs the VM in its own process
// (VBoxHeadless under VBoxSVC), so "exited" means VMState left running: a poller
// started by start() watches `showvminfo`.

import { rename, rm, readFile, writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { KilnError } from '../../errors.js';
import type { KeyEvent } from '../../keyboard/actions.js';
import type { Log } from '../../log/log.js';
import { settledWithin } from '../../util/settled-within.js';
import { sleep } from '../../util/sleep.js';
import { showVmInfoArgs, startVmArgs } from './argv.js';
import { destroyVm, type VmFiles } from './cleanup.js';
import { exportAppliance } from './appliance.js';
import { acpiPowerButtonArgs, keyboardPutScancodeArgs, powerOffArgs, screenshotPngArgs, type ExportOptions } from './control-argv.js';
import { VBoxManageError } from './errors.js';
import type { VBoxManage } from './run.js';
import { scancodeChunks } from './scancode-calls.js';
import type { VBoxVersion } from './version.js';
import { isStopped, parseMachineReadable, vmState, type VmInfo, type VmState } from './vm-info.js';

export interface VirtualBoxExit {
  /** The VMState seen when the VM had stopped, or 'unregistered' if it vanished. */
  state: VmState | 'unregistered';
}

export interface VirtualBoxVmInit {
  vbox: VBoxManage;
  name: string;
  version: VBoxVersion;
  files: VmFiles;
  log?: Log;
  /** How often the exit poller runs `showvminfo`; default 1000 ms. */
  pollIntervalMs?: number;
}

export class VirtualBoxVm {
  readonly name: string;
  readonly version: VBoxVersion;
  /** Settles once the started VM is seen stopped (or gone); never rejects. */
  readonly exited: Promise<VirtualBoxExit>;
  private settle!: (exit: VirtualBoxExit) => void;
  private exit?: VirtualBoxExit;
  private started = false;
  private polling?: NodeJS.Timeout;
  private destroying?: Promise<void>;
  private readonly vbox: VBoxManage;
  private readonly pollIntervalMs: number;

  constructor(private readonly init: VirtualBoxVmInit) {
    this.name = init.name;
    this.version = init.version;
    this.vbox = init.vbox;
    this.pollIntervalMs = init.pollIntervalMs ?? 1_000;
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  /** The disk image the guest installs to (a VDI). */
  get diskPath(): string {
    return this.init.files.diskPath;
  }

  /** `startvm --type headless`, then watches for the VM to stop. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.started) throw new Error('internal: VirtualBox VM started twice');
    this.started = true;
    await this.vbox.run(startVmArgs(this.name), { signal, timeoutMs: 120_000 });
    this.init.log?.debug(`VirtualBox VM ${this.name} started (VirtualBox ${this.version.text})`);
    this.schedulePoll();
  }

  async info(signal?: AbortSignal): Promise<VmInfo> {
    return parseMachineReadable((await this.vbox.run(showVmInfoArgs(this.name), { signal })).stdout);
  }

  async state(signal?: AbortSignal): Promise<VmState> {
    return vmState(await this.info(signal));
  }

  /** Presses and releases keys: one keyboardputscancode call, or a few for a long batch. */
  async sendKeyEvents(events: readonly KeyEvent[]): Promise<void> {
    for (const bytes of scancodeChunks(events)) await this.sendScancodes(bytes);
  }

  /** One keyboardputscancode call with these set-1 bytes (see planScancodeCalls). */
  async sendScancodes(bytes: readonly string[], signal?: AbortSignal): Promise<void> {
    if (bytes.length === 0) return;
    try {
      await this.vbox.run(keyboardPutScancodeArgs(this.name, bytes), { signal });
    } catch (error) {
      if (error instanceof VBoxManageError && error.notRunning) {
        throw new KilnError('E_BOOT', `cannot type into VirtualBox VM ${this.name}: it is not running`, {
          cause: error,
          hint: 'the guest powered off while the boot command was typed; serial.log shows why',
        });
      }
      throw error;
    }
  }

  /** Writes the screen to `path`: PNG straight from VirtualBox, PPM converted from it. */
  async screendump(path: string, format: 'ppm' | 'png' = 'ppm'): Promise<void> {
    const target = resolvePath(path);
    const png = `${target}.vbox-partial.png`;
    try {
      await this.vbox.run(screenshotPngArgs(this.name, png));
      if (format === 'png') {
        await rename(png, target);
        return;
      }
      // pngjs is imported on first use: `kiln validate` loads this module without taking screenshots.
      const { decodePng } = await import('../../screen/png.js');
      const frame = decodePng(await readFile(png));
      const header = Buffer.from(`P6\n${frame.width} ${frame.height}\n255\n`, 'latin1');
      await writeFile(`${target}.partial`, Buffer.concat([header, frame.rgb]));
      await rename(`${target}.partial`, target);
    } finally {
      await rm(png, { force: true });
    }
  }

  /** Presses the ACPI power button; the guest decides what to do. */
  async powerdown(): Promise<void> {
    await this.vbox.run(acpiPowerButtonArgs(this.name));
  }

  /** True when the VM stopped within timeoutMs; throws CancelledError when the signal fires. */
  async waitForExit(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.exit && !signal?.aborted) return true;
    return settledWithin(this.exited, timeoutMs, signal);
  }

  /** `controlvm poweroff` (pulling the plug) and waits until VirtualBox reports it stopped. */
  async kill(): Promise<VirtualBoxExit> {
    if (this.exit) return this.exit;
    const result = await this.vbox.tryRun(powerOffArgs(this.name));
    if (result.exitCode !== 0) {
      const error = new VBoxManageError(powerOffArgs(this.name), result.exitCode, result.stderr);
      // Already off (or never started, or gone): nothing to pull.
      if (!error.notRunning && !error.machineNotFound) throw error;
    }
    for (let i = 0; i < 60 && !this.exit; i++) {
      await this.poll();
      if (!this.exit) await sleep(Math.min(this.pollIntervalMs, 500));
    }
    if (!this.exit) throw new KilnError('E_SHUTDOWN', `VirtualBox VM ${this.name} did not stop after poweroff`, { hint: 'check `VBoxManage list runningvms`; VBoxSVC may be hung' });
    return this.exit;
  }

  /** Exports the stopped VM to an OVA, or an OVF with its VMDK beside it; returns the files. */
  async exportAppliance(options: ExportOptions, signal?: AbortSignal): Promise<string[]> {
    if (this.started && !this.exit) {
      throw new KilnError('E_EXPORT', `cannot export VirtualBox VM ${this.name} while it runs`, { hint: 'shut the guest down first' });
    }
    return exportAppliance(this.vbox, this.name, options, signal);
  }

  stderrTail(): string {
    return this.vbox.stderrTail();
  }

  /** Powers off if needed and unregisters the VM, deleting its files; safe to call twice. */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      clearTimeout(this.polling);
      this.polling = undefined;
      await destroyVm(this.vbox, this.name, this.init.files, this.init.log);
      this.markExited({ state: 'unregistered' });
    })();
    return this.destroying;
  }

  private schedulePoll(): void {
    if (this.exit || this.destroying) return;
    this.polling = setTimeout(() => void this.poll().finally(() => this.schedulePoll()), this.pollIntervalMs);
    this.polling.unref();
  }

  /** One look at VMState; errors other than "not registered" are retried next time. */
  private async poll(): Promise<void> {
    if (this.exit) return;
    const result = await this.vbox.tryRun(showVmInfoArgs(this.name)).catch(() => undefined);
    if (!result) return;
    if (result.exitCode !== 0) {
      if (new VBoxManageError([], result.exitCode, result.stderr).machineNotFound) this.markExited({ state: 'unregistered' });
      return;
    }
    const state = parseMachineReadable(result.stdout).get('VMState');
    if (state !== undefined && isStopped(state)) this.markExited({ state });
  }

  private markExited(exit: VirtualBoxExit): void {
    if (this.exit) return;
    this.exit = exit;
    this.init.log?.debug(`VirtualBox VM ${this.name} is ${exit.state}`);
    this.settle(exit);
  }
}
