// The typed context every build step shares. Fields are filled in by the step that owns
// them (named in the comment) and read by later steps through `need()`, which turns a
// missing field into a clear internal error instead of an `undefined` crash.
import type { HttpServerHandle } from '../http/index.js';
import type { BuildVm, RestoreOutcome, VmDisk } from '../hypervisor/build-vm.js';
import type { StepTiming } from '../pipeline/step.js';
import type { SshSession } from '../ssh/session.js';
import { packageCacheGuestUrl, placeholderTable } from '../template/placeholders.js';
import type { PackageCache } from '../package-cache/index.js';
import type { PlaceholderValues, Template, VagrantProvider } from '../template/types.js';
import type { ExportPlan } from '../export/plan.js';
import type { ShrinkResult } from '../export/shrink-script.js';
import type { BuildCache } from '../cache/build-cache.js';
import type { SharedCacheOptions } from '../shared-cache/share.js';
import { guestProxyUrl, type ProxySettings } from '../source/proxy-settings.js';
import type { BuildLog } from './build-log.js';
import type { EmitEvent } from './events.js';

export type OnError = 'cleanup' | 'abort' | 'ask';

export interface BuildOptions {
  /** Replace an existing output directory. */
  force: boolean;
  onError: OnError;
  /** Download cache root ($XDG_CACHE_HOME/kiln). */
  cacheDir: string;
  kilnVersion: string;
  /** Hash of the template file's bytes, for the manifest. */
  templateSha256: string;
  /** --no-cache: resume from no cached stage (fresh layers are still stored). */
  noCache?: boolean;
  /** --cache-from / --cache-to: the stage cache shared through a registry. */
  sharedCache?: SharedCacheOptions;
  /** Size limit of the stage cache in bytes (KILN_CACHE_MAX_SIZE); default in lib/cache/limit.ts. */
  cacheLimitBytes?: number;
  /** --screenshots: save boot-NN.png after each boot.command line. */
  screenshots?: boolean;
  /** --console: emit the guest's serial console lines as events. */
  console?: boolean;
  /** The proxy downloads go through (--proxy, template, environment: proxy-settings.ts); absent: the environment's. */
  proxy?: ProxySettings;
  /** --offline: nothing is downloaded; sources come from the cache or the build fails at once. */
  offline?: boolean;
}

export interface ExportedFile {
  file: string;
  format: string;
  bytes: number;
  sha256: string;
}

export interface BuildContext {
  readonly template: Template;
  readonly options: BuildOptions;
  readonly log: BuildLog;
  /** Structured progress for --json (events.ts); sensitive values are masked on the way out. */
  readonly emit: EmitEvent;
  /** prepare-output: the final output directory and the scratch dir inside it. */
  outputDir: string;
  workDir?: string;
  /** fetch-source */
  source?: { path: string; url: string; checksum?: string; cached: boolean };
  /** cache: the stage cache session; where the build resumes and where checkpoints go. */
  cache?: BuildCache;
  /** ssh-key: the generated key pair, when the template gives neither password nor key. */
  sshKey?: { privateKey: string; publicKey: string };
  /** http-server */
  http?: HttpServerHandle;
  /** package-cache (proxy: cache): kiln's caching proxy for the guest's downloads. */
  packageCache?: PackageCache;
  /**
   * Fails the build at once from outside the running step (the package cache, when the
   * guest asks --offline for what was never recorded): the step is cancelled and the
   * build ends with `error` (run-build.ts). Absent in step tests.
   */
  failNow?: (error: unknown) => void;
  /** cloud-init-seed: where the guest finds its NoCloud seed (the URL over http, the CIDATA ISO). */
  seed?: { instanceId: string; url?: string; iso?: string };
  /** media: the template's cd and floppy images, in the work dir. */
  media?: { cd?: string; floppy?: string };
  /** create-disk (QEMU's build disk), start-vm (VirtualBox's own VDI), checkpoint (each new overlay): the disk to export. */
  disk?: VmDisk;
  /** start-vm: the running VM, its forwarded SSH port and serial log. */
  vm?: BuildVm;
  /** start-vm: whether a resumed build restored the layer's running guest, or booted its disk and why. */
  restore?: RestoreOutcome;
  /** boot-command */
  typing?: { keys: number; ms: number };
  /** wait-ssh (and reconnects after expect_disconnect) */
  ssh?: SshSession;
  /**
   * checkpoint (set), provision (cleared as each provisioner starts): what the guest wrote
   * is on the disk, synced by the checkpoint just taken, and nothing has run in it since.
   */
  guestSynced?: boolean;
  /** shrink: the disk's data (bytes) before and after, and what was done to each filesystem. */
  shrink?: { before: number; after: number; filesystems: ShrinkResult[] };
  /** export: the conversions and packages output needs, and the images converted so far (vagrant-box reuses them). */
  images?: { plan: ExportPlan; converted: Set<string> };
  /** vagrant-box */
  box?: { file: string; provider: VagrantProvider; sha256: string };
  /** export */
  exports: ExportedFile[];
  timings: StepTiming[];
}

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} is not set (a step ran out of order)`);
  return value;
}

/** Build-time placeholder values, from whatever is known at this point of the build. */
export function placeholderValues(ctx: BuildContext, httpPort = ctx.http?.port): PlaceholderValues {
  return placeholderTable({
    name: ctx.template.name,
    outputDir: ctx.outputDir,
    ...(httpPort !== undefined ? { httpPort } : {}),
    ...(ctx.sshKey ? { sshPublicKey: ctx.sshKey.publicKey } : {}),
    // (Step tests build contexts without options.)
    ...(ctx.options.proxy ? { httpProxy: guestProxyUrl(ctx.options.proxy) } : {}),
    ...(ctx.packageCache ? { proxyUrl: packageCacheGuestUrl(ctx.packageCache.port) } : {}),
  });
}
