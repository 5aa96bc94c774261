// Defines a VM from a VmSpec (createvm, modifyvm, storage) and, in startVirtualBoxVm,
// starts it. Any failure or abort on the way unregisters and deletes what was made
// before the error is rethrown, so no half-built VM stays registered.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../../errors.js';
import type { Log } from '../../log/log.js';
import { createMediumArgs, createVmArgs, extraModifyVmArgs, modifyVmArgs, storageAttachArgs, storageCtlArgs, storageLayout } from './argv.js';
import type { VmFiles } from './cleanup.js';
import { defaultVBoxManageBinary, vboxManage, type VBoxManage } from './run.js';
import type { VmSpec } from './spec.js';
import { parseVBoxVersion, vboxFeatures, type VBoxVersion } from './version.js';
import { VirtualBoxVm } from './vm.js';

export interface CreateVirtualBoxVmOptions {
  spec: VmSpec;
  /** A runner to reuse; otherwise one for `binary` (default KILN_VBOXMANAGE or VBoxManage). */
  vbox?: VBoxManage;
  binary?: string;
  /** Known already (from an earlier detectVBoxVersion); detected otherwise. */
  version?: VBoxVersion;
  log?: Log;
  signal?: AbortSignal;
  pollIntervalMs?: number;
  /** startVirtualBoxVm: runs right before startvm (VirtualBox's NAT binds forwarded ports then, so a reserved port is let go here). */
  beforeStart?: () => Promise<void>;
}

/** `VBoxManage --version`, parsed; throws when VirtualBox is missing or too old. */
export async function detectVBoxVersion(vbox: VBoxManage, signal?: AbortSignal): Promise<VBoxVersion> {
  const { stdout, stderr } = await vbox.run(['--version'], { signal, timeoutMs: 30_000 });
  const version = parseVBoxVersion(`${stderr}\n${stdout}`);
  vboxFeatures(version); // refuses versions kiln cannot drive
  return version;
}

/** Creates and configures the VM, not started. */
export async function createVirtualBoxVm(options: CreateVirtualBoxVmOptions): Promise<VirtualBoxVm> {
  const { spec, log, signal } = options;
  const vbox = options.vbox ?? vboxManage(options.binary ?? defaultVBoxManageBinary(), log);
  const version = options.version ?? (await detectVBoxVersion(vbox, signal));
  const features = vboxFeatures(version);
  const vmFolder = join(spec.baseFolder, spec.name);
  const files: VmFiles = { vmFolder, ownsFolder: !existsSync(vmFolder), diskPath: spec.disk.path, vmCreated: false, diskCreated: false };
  const vm = new VirtualBoxVm({ vbox, name: spec.name, version, files, log, pollIntervalMs: options.pollIntervalMs });
  const run = async (args: string[], timeoutMs?: number) => {
    if (signal?.aborted) throw new CancelledError();
    await vbox.run(args, { signal, timeoutMs });
  };
  try {
    await mkdir(spec.baseFolder, { recursive: true });
    files.vmCreated = true; // before the call: an interrupted createvm may still have registered it
    await run(createVmArgs(spec, features));
    await run(modifyVmArgs(spec, features));
    for (const args of extraModifyVmArgs(spec)) await run(args);
    const layout = storageLayout(spec);
    for (const ctl of layout.controllers) await run(storageCtlArgs(spec.name, ctl));
    // Only a disk kiln created is kiln's to delete; createmedium refuses to overwrite a file.
    files.diskCreated = !existsSync(spec.disk.path);
    await run(createMediumArgs(spec.disk.path, spec.disk.sizeMiB), 10 * 60_000);
    for (const attachment of layout.attachments) await run(storageAttachArgs(spec.name, attachment));
    log?.debug(`VirtualBox VM ${spec.name} defined (VirtualBox ${version.text})`);
    return vm;
  } catch (error) {
    await destroyAfterFailure(vm, log);
    throw error;
  }
}

/** Creates the VM and starts it headless; cleans up on any failure. */
export async function startVirtualBoxVm(options: CreateVirtualBoxVmOptions): Promise<VirtualBoxVm> {
  const vm = await createVirtualBoxVm(options);
  try {
    if (options.signal?.aborted) throw new CancelledError();
    await options.beforeStart?.();
    await vm.start(options.signal);
    return vm;
  } catch (error) {
    await destroyAfterFailure(vm, options.log);
    throw error;
  }
}

async function destroyAfterFailure(vm: VirtualBoxVm, log?: Log): Promise<void> {
  try {
    await vm.destroy();
  } catch (cleanupError) {
    // The original error matters more; the leftover VM is named so the user can remove it.
    log?.warn((cleanupError as Error).message);
  }
}
