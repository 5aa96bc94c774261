// Valid template data -> the resolved Template: defaults filled in, durations in ms,
// sizes in bytes/MiB, paths absolute. Pure; only called once validation found nothing,
// so it trusts the shapes (RawTemplate) that the schema and semantics.ts guarantee.
import { dirname } from 'node:path';
import { KilnError } from '../errors.js';
import { parseCloudInitSpec } from '../cloud-init/spec.js';
import { parseChecksumSpec } from '../source/checksum-spec.js';
import { MIB, parseSize } from '../util/size.js';
import { VM_DEFAULTS } from '../hypervisor/virtualbox/spec.js';
import type { MediaSpec } from '../media/types.js';
import { resolveLocation, resolvePath } from './paths.js';
import { renderPartial } from './render.js';
import type { RawMedia, RawPostProcessor, RawSourceFile, RawTemplate, RawVagrant } from './raw-template.js';
import type { BootWaitKind, PostProcessor, SourceFile, Template, VagrantOutput } from './types.js';
import type { LoadedKind } from '../plugins/load-plugins.js';
import { pluginStep } from './normalise-plugin.js';
import { provisioner, shellLocalCommands } from './normalise-provision.js';
import { duration, hostPath, strings } from './normalise-values.js';
import { DEFAULT_LEVEL } from '../post-process/compress-levels.js';

export type { RawTemplate } from './raw-template.js';
export { SHELL_RUN_DEFAULTS } from './normalise-provision.js';

export interface NormaliseContext {
  /** Absolute path of the template file. */
  file: string;
  variables: Record<string, string>;
  secrets: string[];
  /** What relative paths resolve against; default the file's folder (a Packer template's are the working directory's). */
  dir?: string;
  /** The kinds of wait the boot command uses, from validation's parse of it. */
  bootWaits: BootWaitKind[];
  /** The kinds the template's plugins gave. */
  plugins?: readonly LoadedKind[];
}

export const DEFAULT_SHUTDOWN_COMMAND = 'sudo shutdown -P now';

export function normalise(raw: RawTemplate, { file, variables, secrets, dir = dirname(file), bootWaits, plugins = [] }: NormaliseContext): Template {
  const machine = raw.machine ?? {};
  const ssh = raw.ssh === 'none' ? null : raw.ssh;
  const shutdownCommand = raw.shutdown?.command ?? (ssh ? DEFAULT_SHUTDOWN_COMMAND : 'none');
  const command = raw.boot?.command ?? [];
  const template: Template = {
    name: raw.name,
    file,
    dir,
    variables,
    secrets,
    hypervisor: raw.hypervisor ?? 'qemu',
    source:
      'disk' in raw.source
        ? { kind: 'disk', ...sourceFile(dir, raw.source.disk), backing: raw.source.disk.backing ?? false }
        : { kind: 'iso', ...sourceFile(dir, raw.source.iso) },
    machine: {
      cpus: machine.cpus ?? 2,
      memory_mib: sizeOf('machine.memory', machine.memory ?? 1024) / MIB,
      disk_bytes: sizeOf('machine.disk', machine.disk ?? '20G'),
      firmware: machine.firmware ?? 'bios',
      accel: machine.accel ?? 'auto',
      disk_discard: machine.disk_discard ?? true,
      qemu: {
        binary: machine.qemu?.binary ?? 'qemu-system-x86_64',
        machine: machine.qemu?.machine ?? 'pc',
        args: (machine.qemu?.args ?? []).map(String),
        disk_interface: machine.qemu?.disk_interface ?? 'virtio',
        ...(machine.qemu?.net_device !== undefined ? { net_device: machine.qemu.net_device } : {}),
        ...(machine.qemu?.cpu_model !== undefined ? { cpu_model: machine.qemu.cpu_model } : {}),
        ...(machine.qemu?.cpu_level !== undefined ? { cpu_level: machine.qemu.cpu_level } : {}),
      },
      virtualbox: {
        os_type: machine.virtualbox?.os_type ?? 'Other_64',
        chipset: machine.virtualbox?.chipset ?? VM_DEFAULTS.chipset,
        graphics: machine.virtualbox?.graphics ?? VM_DEFAULTS.graphics,
        nic_type: machine.virtualbox?.nic_type ?? VM_DEFAULTS.nicType,
        disk_interface: machine.virtualbox?.disk_interface ?? VM_DEFAULTS.diskInterface,
        modifyvm: (machine.virtualbox?.modifyvm ?? []).map((args) => args.map(String)),
      },
    },
    http: {
      ...(raw.http?.directory !== undefined ? { directory: resolvePath(dir, raw.http.directory) } : {}),
      content: { ...raw.http?.content },
    },
    ...(raw.cd ? { cd: media(dir, raw.cd) } : {}),
    ...(raw.floppy ? { floppy: media(dir, raw.floppy) } : {}),
    boot: {
      wait: raw.boot?.wait === 'auto' ? 'auto' : duration(raw.boot?.wait, '10s'),
      key_interval_ms: duration(raw.boot?.key_interval, '10ms'),
      command: typeof command === 'string' ? [command] : [...command],
      waits: bootWaits,
    },
    ssh: ssh && {
      username: ssh.username,
      ...(ssh.password !== undefined ? { password: ssh.password } : {}),
      ...(ssh.private_key !== undefined ? { private_key: resolvePath(dir, ssh.private_key) } : {}),
      port: ssh.port ?? 22,
      timeout_ms: duration(ssh.timeout, '30m'),
    },
    ...(raw.proxy !== undefined ? { proxy: proxySpec(raw.proxy) } : {}),
    provision: (raw.provision ?? []).map((p) => pluginStep(dir, p, 'provision', plugins) ?? provisioner(dir, p)),
    post_process: (raw.post_process ?? []).map((p) => pluginStep(dir, p, 'post-process', plugins) ?? postProcessor(dir, raw.name, p)),
    cache: { memory: raw.cache?.memory ?? true },
    shutdown: {
      command: shutdownCommand === 'none' ? null : shutdownCommand,
      timeout_ms: duration(raw.shutdown?.timeout, '5m'),
    },
    output: {
      directory: resolvePath(dir, renderPartial(raw.output?.directory ?? 'output/{{ .Name }}', { Name: raw.name })),
      formats: [...(raw.output?.formats ?? ['qcow2'])],
      compress: raw.output?.compress ?? true,
      ...(raw.output?.vagrant ? { vagrant: vagrant(dir, raw.output.vagrant) } : {}),
    },
  };
  if (raw.cloud_init !== undefined) {
    const { spec } = parseCloudInitSpec(raw.cloud_init);
    if (!spec) throw unvalidated('cloud_init');
    template.cloud_init = spec;
  }
  return template;
}

function media(dir: string, raw: RawMedia): MediaSpec {
  return {
    ...(raw.label !== undefined ? { label: raw.label } : {}),
    files: (raw.files ?? []).map((f) => hostPath(dir, f)),
    content: { ...raw.content },
  };
}

function vagrant(dir: string, raw: RawVagrant): VagrantOutput {
  return {
    provider: raw.provider,
    // gzip's own default: within a few percent of 9's size at a fraction of its time.
    ...(raw.compression !== undefined ? { compression: raw.compression } : {}),
    ...(raw.vagrantfile !== undefined ? { vagrantfile: resolvePath(dir, raw.vagrantfile) } : {}),
    layout: raw.layout ?? 'v1',
    ...(raw.output !== undefined ? { output: raw.output } : {}),
  };
}

function sourceFile(dir: string, raw: RawSourceFile): SourceFile {
  const written = raw.urls ?? [raw.url ?? raw.path!];
  const spec = parseChecksumSpec(raw.checksum);
  if (!spec.ok) throw unvalidated(`checksum ${raw.checksum}`);
  const checksum = spec.spec.kind === 'file' ? { ...spec.spec, location: located(dir, spec.spec.location) } : spec.spec;
  return { urls: written.map((u) => located(dir, u)), checksum };
}

/** A size semantics.ts checked; bare numbers are MiB. */
function sizeOf(key: string, value: string | number): number {
  const bytes = parseSize(value, MIB);
  if (bytes === undefined) throw unvalidated(`${key} ${value}`);
  return bytes;
}

function located(dir: string, location: string): string {
  const resolved = resolveLocation(dir, location);
  if (!resolved.ok) throw unvalidated(`location ${location}`);
  return resolved.location;
}



function postProcessor(dir: string, name: string, raw: RawPostProcessor): PostProcessor {
  if ('checksum' in raw) return { type: 'checksum', types: [...(raw.checksum.types ?? ['sha256'])] };
  if ('manifest' in raw) {
    const { manifest } = raw;
    return {
      type: 'manifest',
      output: resolvePath(dir, manifest.output ?? 'packer-manifest.json'),
      strip_path: manifest.strip_path ?? false,
      custom_data: strings(manifest.custom_data),
    };
  }
  if ('compress' in raw) {
    const { compress } = raw;
    const format = compress.format ?? 'tar.gz';
    return { type: 'compress', format, level: compress.level ?? DEFAULT_LEVEL[format], output: compress.output ?? `${name}.tar.gz`, keep_originals: compress.keep_originals ?? false };
  }
  return { type: 'shell-local', ...shellLocalCommands(dir, raw['shell-local']) };
}

/** normalise() only runs on validated data; reaching this is a bug in validation. */
const unvalidated = (what: string) =>
  new KilnError('E_TEMPLATE', `internal error: ${what} reached normalisation unvalidated`, { hint: 'please report this as a kiln bug' });

/** `proxy:` as builds read it: none is null; cache alone has no upstream (the environment's applies). */
function proxySpec(raw: NonNullable<RawTemplate['proxy']>): Template['proxy'] {
  if (raw === 'none') return null;
  if (raw === 'cache') return { cache: true };
  return { ...(raw.upstream !== undefined ? { upstream: raw.upstream } : {}), cache: raw.cache === true };
}
