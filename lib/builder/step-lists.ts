// The build, as a flat list of small steps made from their options (Packer's
// `&stepShutdown{Timeout: ...}`). Which steps a build has is decided here, from the
// template and the driver's capabilities; when-cached.ts adds the one runtime question,
// what the stage cache already holds. A build's shape can be read off this file.
import type { Driver } from '../hypervisor/driver.js';
import { namedPaths, scanTemplateBoot } from '../lint/named-paths.js';
import type { Step } from '../pipeline/step.js';
import type { Template } from '../template/types.js';
import type { BuildContext, BuildOptions } from './context.js';
import { DEFAULT_CACHE_LIMIT } from '../cache/limit.js';
import { typeBootCommand } from './steps/boot-command.js';
import { cacheLookup } from './steps/cache.js';
import { checkpointFinal } from './steps/checkpoint-final.js';
import { checkpoint } from './steps/checkpoint.js';
import { cloudInitSeed } from './steps/cloud-init-seed.js';
import { createDisk } from './steps/create-disk.js';
import { exportImages } from './steps/export.js';
import { guestClock } from './steps/guest-clock.js';
import { fetchSource } from './steps/fetch-source.js';
import { media } from './steps/media.js';
import { packageCache } from './steps/package-cache.js';
import { httpServer } from './steps/http-server.js';
import { writeManifest } from './steps/manifest.js';
import { postProcess } from './steps/post-process.js';
import { prepareOutput } from './steps/prepare-output.js';
import { provision } from './steps/provision.js';
import { serialConsole } from './steps/serial-console.js';
import { shrinkDisk } from './steps/shrink.js';
import { shutdown } from './steps/shutdown.js';
import { sshKey } from './steps/ssh-key.js';
import { startVm } from './steps/start-vm.js';
import { vagrantBox } from './steps/vagrant-box.js';
import { waitCloudInit } from './steps/wait-cloud-init.js';
import { waitSsh } from './steps/wait-ssh.js';
import { unlessFinished, unlessResumed, withCache } from './when-cached.js';

type BuildStep = Step<BuildContext>;
const keep = (step: BuildStep): BuildStep => step;

/**
 * The steps of one build, in order. Each step owns what it opens and releases it in
 * cleanup. With a resumable driver the stage cache decides at run time what is already
 * done; without one every stage runs.
 */
export function stepsFor(t: Template, options: BuildOptions, driver: Driver): BuildStep[] {
  const { ssh, name, machine } = t;
  const cached = driver.resumable;
  const once = cached ? unlessFinished : keep;
  const install = cached ? (step: BuildStep) => unlessResumed(unlessFinished(step)) : keep;
  const image = t.source.kind === 'disk' ? t.source : undefined;
  const file = t.source;
  const serves = t.http.directory !== undefined || Object.keys(t.http.content).length > 0 || t.cloud_init?.via.includes('http') === true;
  const steps: (BuildStep | false | null | undefined)[] = [
    prepareOutput({ force: options.force, kilnVersion: options.kilnVersion }),
    fetchSource({ file, key: `source.${file.kind}`, cacheDir: options.cacheDir, ...(options.proxy ? { proxy: options.proxy } : {}), offline: options.offline ?? false }),
    cached &&
      cacheLookup({
        template: t,
        cacheDir: options.cacheDir,
        noCache: options.noCache ?? false,
        limitBytes: options.cacheLimitBytes ?? DEFAULT_CACHE_LIMIT,
        kilnVersion: options.kilnVersion,
        ...(options.sharedCache ? { shared: options.sharedCache } : {}),
      }),
    ssh && sshKey({ ssh, name }),
    // Before anything renders {{ .ProxyURL }}: the answer files served and the seed.
    t.proxy?.cache && once(packageCache({ cacheDir: options.cacheDir, offline: options.offline ?? false, ...(options.proxy ? { proxy: options.proxy } : {}) })),
    serves && once(httpServer({ ...t.http, named: namedPaths(scanTemplateBoot(t)) })),
    t.cloud_init && once(cloudInitSeed({ spec: t.cloud_init, name, ssh })),
    (t.cd || t.floppy) && once(media({ ...(t.cd ? { cd: t.cd } : {}), ...(t.floppy ? { floppy: t.floppy } : {}) })),
    driver.usesBuildDisk && createDisk({ name, sizeBytes: machine.disk_bytes, ...(image ? { image } : {}), seeded: t.cloud_init !== undefined, ssh }),
    once(startVm({ driver, name, machine, bootsInstaller: !image, ...(ssh ? { sshGuestPort: ssh.port } : {}) })),
    once(serialConsole({ name, stream: options.console ?? false })),
    // Nothing to type (a cloud image, an installer that boots by itself): no boot.wait either.
    t.boot.command.join('') !== '' &&
      install(typeBootCommand({ boot: t.boot, screenshots: options.screenshots ?? false, ...(ssh ? { waitTimeoutMs: ssh.timeout_ms } : {}) })),
    ssh && once(waitSsh({ username: ssh.username })),
    cached && ssh && once(guestClock({ username: ssh.username, ...(ssh.password !== undefined ? { sudoPassword: ssh.password } : {}) })),
    // A seed given to an installer ({{ .CloudInitURL }}) configures the installer, not the installed system.
    image && t.cloud_init && ssh && once(waitCloudInit()),
    cached && ssh && withCache(unlessResumed(checkpoint())),
    t.provision.length > 0 && once(provision({ provisioners: t.provision, ...(ssh?.password !== undefined ? { sudoPassword: ssh.password } : {}) })),
    // It runs in the guest over SSH; with ssh: none there is no way in.
    ssh && once(shrinkDisk({ ssh, discard: machine.disk_discard })),
    once(shutdown({ command: t.shutdown.command, timeoutMs: t.shutdown.timeout_ms, ssh })),
    cached && withCache(unlessFinished(checkpointFinal({ label: ssh === null ? 'install' : 'shutdown' }))),
    exportImages({ name, output: t.output, machine }),
    t.output.vagrant && vagrantBox({ name, vagrant: t.output.vagrant, machine, templateDir: t.dir }),
    t.post_process.length > 0 && postProcess({ name, hypervisor: t.hypervisor, templateDir: t.dir, postProcessors: t.post_process }),
    writeManifest({ name, kilnVersion: options.kilnVersion, template: { file: t.file, sha256: options.templateSha256 } }),
  ];
  return steps.filter((step): step is BuildStep => Boolean(step));
}
