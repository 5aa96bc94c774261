// The builds kiln knows, each a flat list of small steps in order. Which list runs is
// decided by the template alone (stepsFor), so a build's shape can be read off here.
import type { Step } from '../pipeline/step.js';
import type { Template } from '../template/types.js';
import type { BuildContext } from './context.js';
import { cacheLookup } from './steps/cache-lookup.js';
import { checkpointFinal, checkpointInstall } from './steps/checkpoint.js';
import { cloudInitSeed } from './steps/cloud-init-seed.js';
import { createDisk } from './steps/create-disk.js';
import { exportImages } from './steps/export-images.js';
import { fetchSource } from './steps/fetch-source.js';
import { httpServer } from './steps/http-server.js';
import { prepareOutput } from './steps/prepare-output.js';
import { provision } from './steps/provision.js';
import { serialConsole } from './steps/serial-console.js';
import { shrinkDisk } from './steps/shrink-disk.js';
import { shutdown } from './steps/shutdown.js';
import { sshKey } from './steps/ssh-key.js';
import { startVirtualBoxVm } from './steps/start-virtualbox-vm.js';
import { startVm } from './steps/start-vm.js';
import { typeBootCommand } from './steps/type-boot-command.js';
import { vagrantBox } from './steps/vagrant-box.js';
import { waitCloudInit } from './steps/wait-cloud-init.js';
import { waitSsh } from './steps/wait-ssh.js';
import { unlessFinished, unlessResumed } from './steps/when-cached.js';
import { writeManifest } from './steps/write-manifest.js';

/**
 * The QEMU build, in order, from an installer ISO or a cloud image (source.disk): the
 * seed steps skip themselves without cloud_init, create-disk and start-vm know both
 * sources. Each step owns what it opens and releases it in cleanup.
 */
export const QEMU_STEPS: readonly Step<BuildContext>[] = [
  prepareOutput,
  fetchSource,
  cacheLookup,
  sshKey,
  unlessFinished(httpServer),
  unlessFinished(cloudInitSeed),
  createDisk,
  unlessFinished(startVm),
  unlessFinished(serialConsole),
  unlessResumed(typeBootCommand),
  unlessFinished(waitSsh),
  unlessFinished(waitCloudInit),
  checkpointInstall,
  unlessFinished(provision),
  unlessFinished(shrinkDisk),
  unlessFinished(shutdown),
  checkpointFinal,
  exportImages,
  vagrantBox,
  writeManifest,
];

/**
 * The VirtualBox ISO build: the same stages through VBoxManage. VirtualBox creates its
 * own VDI when the VM is defined (no create-disk), and there is no stage cache: its
 * snapshots are QEMU's (see start-virtualbox-vm). A cloud_init seed is served over HTTP
 * (an installer's {{ .CloudInitURL }}); cloud images are QEMU's (unsupported.ts).
 */
export const VIRTUALBOX_ISO_STEPS: readonly Step<BuildContext>[] = [
  prepareOutput,
  fetchSource,
  sshKey,
  httpServer,
  cloudInitSeed,
  startVirtualBoxVm,
  serialConsole,
  typeBootCommand,
  waitSsh,
  provision,
  shrinkDisk,
  shutdown,
  exportImages,
  vagrantBox,
  writeManifest,
];

/** The step list for a template. */
export function stepsFor(template: Pick<Template, 'hypervisor'>): readonly Step<BuildContext>[] {
  return template.hypervisor === 'virtualbox' ? VIRTUALBOX_ISO_STEPS : QEMU_STEPS;
}
