import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nocloudSeedArg } from '../../cloud-init/seed.js';
import { resolveAccel } from '../../hypervisor/qemu/accel.js';
import { probeHost } from '../../hypervisor/qemu/host-probe.js';
import { buildQemuArgv } from '../../hypervisor/qemu/argv.js';
import { findEfiFirmware, prepareEfiVars } from '../../hypervisor/qemu/firmware.js';
import { startQemu } from '../../hypervisor/qemu/vm.js';
import { qemuBuildVm } from '../../hypervisor/build-vm.js';
import type { Step } from '../../pipeline/step.js';
import { findFreePort } from '../../util/free-port.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

// Sockets live in a short temp dir: UNIX socket paths are limited to 107 bytes,
// and output directories can be deep.
const runDirs = new WeakMap<BuildContext, string>();

/** The guest's UEFI vars, in the work dir (checkpoints copy it into the cache). */
export const EFI_VARS_FILE_NAME = 'efi-vars.fd';

/** Picks the accelerator, assembles the QEMU command line and starts the VM. */
export const startVm: Step<BuildContext> = {
  name: 'start-vm',
  async run(ctx, signal) {
    const { machine } = ctx.template;
    const binary = machine.qemu.binary;
    ctx.accel = resolveAccel(machine.accel, await probeHost(binary));
    ctx.log.info(`accelerator: ${ctx.accel.accel} (${ctx.accel.reason})`);

    const runDir = await mkdtemp(join(tmpdir(), 'kiln-run-'));
    runDirs.set(ctx, runDir);
    let efi: { code: string; vars: string } | undefined;
    if (machine.firmware === 'efi') {
      const firmware = await findEfiFirmware();
      // A resumed guest gets the NVRAM (boot entries) it had at the checkpoint.
      const vars = ctx.cache?.efiVars ? { ...firmware, vars: ctx.cache.efiVars } : firmware;
      efi = { code: firmware.code, vars: await prepareEfiVars(vars, join(need(ctx.workDir, 'workDir'), EFI_VARS_FILE_NAME)) };
    }
    ctx.sshHostPort = ctx.template.ssh ? await findFreePort('127.0.0.1') : undefined;
    ctx.serialLog = join(ctx.outputDir, 'serial.log');
    const disk = need(ctx.disk, 'disk');
    // ctx.disk is shared with VirtualBox (a VDI); QEMU's build disk is made by create-disk.
    if (disk.format === 'vdi') throw new Error('internal: start-vm was given a VirtualBox disk');
    const qmpSocket = join(runDir, 'qmp.sock');
    const argv = buildQemuArgv({
      name: `kiln-${ctx.template.name}`,
      machine,
      accel: ctx.accel.accel,
      disk: { path: disk.path, format: disk.format },
      // Resumed from the cache: the disk is installed already; boot it, no installer.
      // A cloud image boots from its disk; its only CD is the seed.
      cdrom: ctx.cache?.resumed || ctx.template.source.disk ? undefined : ctx.source?.path,
      bootOnceFromCdrom: true,
      extraCdroms: ctx.seed?.iso ? [ctx.seed.iso] : [],
      // An installer is told the seed URL by its boot command; a cloud image reads SMBIOS.
      ...(ctx.seed?.url && ctx.template.source.disk ? { smbiosSerial: nocloudSeedArg(ctx.seed.url) } : {}),
      efi,
      qmpSocket,
      serial: { socket: join(runDir, 'serial.sock'), log: ctx.serialLog },
      hostForwards: ctx.sshHostPort ? [{ hostPort: ctx.sshHostPort, guestPort: ctx.template.ssh!.port }] : [],
    });
    ctx.log.debug(`${binary} ${argv.join(' ')}`);
    ctx.vm = qemuBuildVm(await startQemu({ binary, argv, qmpSocket, signal, log: ctx.log }));
    if (ctx.sshHostPort) ctx.log.info(`guest SSH is forwarded to 127.0.0.1:${ctx.sshHostPort}`);
  },
  async cleanup(ctx) {
    // Stopped in every outcome: --on-error=abort keeps files, not a running VM.
    await ctx.vm?.kill();
    const runDir = runDirs.get(ctx);
    if (runDir) await rm(runDir, { recursive: true, force: true });
  },
};
