// Valid template data -> the resolved Template: defaults filled in, durations in ms,
// sizes in bytes/MiB, paths absolute. Pure; only called once validation found nothing,
// so it trusts the shapes (RawTemplate) that the schema and semantics.ts guarantee.
import { dirname } from 'node:path';
import { KilnError } from '../errors.js';
import { parseCloudInitSpec } from '../cloud-init/spec.js';
import { parseChecksumSpec } from '../source/checksum-spec.js';
import { parseDuration } from '../util/duration.js';
import { MIB, parseSize } from '../util/size.js';
import { VM_DEFAULTS } from '../hypervisor/virtualbox/spec.js';
import type { MediaSpec } from '../media/types.js';
import { resolveLocation, resolvePath } from './paths.js';
import { renderPartial } from './render.js';
import type { RawAnsible, RawAnsibleLocal, RawMedia, RawPostProcessor, RawRunControls, RawShellLocal, RawSourceFile, RawTemplate, RawVagrant, Scalar } from './raw-template.js';
import type { AnsibleLocalProvisioner, AnsibleProvisioner, PostProcessor, Provisioner, RunControls, ShellProvisioner, SourceFile, Template, VagrantOutput } from './types.js';

export type { RawTemplate } from './raw-template.js';

export interface NormaliseContext {
  /** Absolute path of the template file. */
  file: string;
  variables: Record<string, string>;
  sensitive: string[];
  /** What relative paths resolve against; default the file's folder (a Packer template's are the working directory's). */
  dir?: string;
}

export const DEFAULT_SHUTDOWN_COMMAND = 'sudo shutdown -P now';

/** A shell provisioner's run options when the template does not set them (Packer's defaults). */
export const SHELL_RUN_DEFAULTS = {
  valid_exit_codes: [0],
  pause_before_ms: 0,
  pause_after_ms: 0,
  max_retries: 0,
  start_retry_timeout_ms: 5 * 60_000,
  remote_folder: '/tmp',
  skip_clean: false,
} as const satisfies Partial<ShellProvisioner>;

export function normalise(raw: RawTemplate, { file, variables, sensitive, dir = dirname(file) }: NormaliseContext): Template {
  const machine = raw.machine ?? {};
  const ssh = raw.ssh === 'none' ? null : raw.ssh;
  const shutdownCommand = raw.shutdown?.command ?? (ssh ? DEFAULT_SHUTDOWN_COMMAND : 'none');
  const command = raw.boot?.command ?? [];
  const template: Template = {
    name: raw.name,
    file,
    dir,
    variables,
    sensitive,
    hypervisor: raw.hypervisor ?? 'qemu',
    // The schema allows exactly one of iso and disk.
    source: raw.source.disk
      ? { kind: 'disk', ...sourceFile(dir, raw.source.disk), backing: raw.source.disk.backing ?? false }
      : { kind: 'iso', ...sourceFile(dir, raw.source.iso!) },
    machine: {
      cpus: machine.cpus ?? 2,
      memory_mib: parseSize(machine.memory ?? 1024, MIB)! / MIB,
      disk_bytes: parseSize(machine.disk ?? '20G', MIB)!,
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
    },
    ssh: ssh && {
      username: ssh.username,
      ...(ssh.password !== undefined ? { password: ssh.password } : {}),
      ...(ssh.private_key !== undefined ? { private_key: resolvePath(dir, ssh.private_key) } : {}),
      port: ssh.port ?? 22,
      timeout_ms: duration(ssh.timeout, '30m'),
    },
    ...(raw.proxy !== undefined ? { proxy: raw.proxy === 'none' ? null : { upstream: raw.proxy.upstream } } : {}),
    provision: (raw.provision ?? []).map((p) => provisioner(dir, p)),
    post_process: (raw.post_process ?? []).map((p) => postProcessor(dir, p)),
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

function located(dir: string, location: string): string {
  const resolved = resolveLocation(dir, location);
  if (!resolved.ok) throw unvalidated(`location ${location}`);
  return resolved.location;
}

function provisioner(dir: string, raw: NonNullable<RawTemplate['provision']>[number]): Provisioner {
  if ('file' in raw) {
    const { file } = raw;
    const common = { ...runControls(file), ...(file.cache === false ? { cache: false } : {}) };
    if (file.direction === 'download') {
      return { type: 'file', direction: 'download', source: file.source, destination: hostPath(dir, file.destination), ...common };
    }
    return { type: 'file', direction: 'upload', source: hostPath(dir, file.source), destination: file.destination, ...common };
  }
  if ('shell-local' in raw) return { type: 'shell-local', ...shellLocalCommands(dir, raw['shell-local']), ...runControls(raw['shell-local']) };
  if ('reboot' in raw) {
    const { reboot } = raw;
    return { type: 'reboot', command: reboot.command ?? 'sudo reboot', timeout_ms: duration(reboot.timeout, '5m'), pause_before_ms: optionalDuration(reboot.pause_before) ?? 0 };
  }
  if ('breakpoint' in raw) {
    const { breakpoint } = raw;
    return { type: 'breakpoint', ...(breakpoint.note !== undefined ? { note: breakpoint.note } : {}), disable: breakpoint.disable ?? false };
  }
  if ('ansible' in raw) return ansible(dir, raw.ansible);
  if ('ansible-local' in raw) return ansibleLocal(dir, raw['ansible-local']);
  const { shell } = raw;
  return {
    type: 'shell',
    ...(shell.inline ? { inline: [...shell.inline] } : {}),
    ...(shell.script !== undefined ? { script: resolvePath(dir, shell.script) } : {}),
    sudo: shell.sudo ?? false,
    env: Object.fromEntries(Object.entries(shell.env ?? {}).map(([k, v]) => [k, String(v)])),
    expect_disconnect: shell.expect_disconnect ?? false,
    ...(shell.cache === false ? { cache: false } : {}),
    ...(shell.execute_command !== undefined ? { execute_command: shell.execute_command } : {}),
    ...(shell.inline_shebang !== undefined ? { inline_shebang: shell.inline_shebang } : {}),
    valid_exit_codes: [...(shell.valid_exit_codes ?? SHELL_RUN_DEFAULTS.valid_exit_codes)],
    pause_before_ms: optionalDuration(shell.pause_before) ?? SHELL_RUN_DEFAULTS.pause_before_ms,
    pause_after_ms: optionalDuration(shell.pause_after) ?? SHELL_RUN_DEFAULTS.pause_after_ms,
    max_retries: shell.max_retries ?? SHELL_RUN_DEFAULTS.max_retries,
    ...(shell.timeout !== undefined ? { timeout_ms: optionalDuration(shell.timeout)! } : {}),
    start_retry_timeout_ms: optionalDuration(shell.start_retry_timeout) ?? SHELL_RUN_DEFAULTS.start_retry_timeout_ms,
    remote_folder: shell.remote_folder ?? SHELL_RUN_DEFAULTS.remote_folder,
    ...(shell.remote_path !== undefined ? { remote_path: shell.remote_path } : {}),
    skip_clean: shell.skip_clean ?? SHELL_RUN_DEFAULTS.skip_clean,
  };
}

const playbookFiles = (dir: string, written: string | string[]): string[] => (typeof written === 'string' ? [written] : written).map((p) => resolvePath(dir, p));

/** pause_before, max_retries and timeout, with Packer's defaults (no pause, no retry, no limit). */
const runControls = (raw: RawRunControls): RunControls => ({
  pause_before_ms: optionalDuration(raw.pause_before) ?? 0,
  max_retries: raw.max_retries ?? 0,
  ...(raw.timeout !== undefined ? { timeout_ms: optionalDuration(raw.timeout)! } : {}),
});

/** inline, or script/scripts as absolute paths; and env as strings. */
function shellLocalCommands(dir: string, raw: RawShellLocal): { inline?: string[]; scripts?: string[]; env: Record<string, string> } {
  const scripts = raw.scripts ?? (raw.script !== undefined ? [raw.script] : undefined);
  return {
    ...(raw.inline ? { inline: [...raw.inline] } : {}),
    ...(scripts ? { scripts: scripts.map((s) => resolvePath(dir, s)) } : {}),
    env: strings(raw.env),
  };
}

function ansibleLocal(dir: string, raw: RawAnsibleLocal): AnsibleLocalProvisioner {
  const path = (key: 'playbook_dir' | 'group_vars' | 'host_vars' | 'galaxy_file') => (raw[key] !== undefined ? { [key]: resolvePath(dir, raw[key]) } : {});
  return {
    type: 'ansible-local',
    playbook_files: playbookFiles(dir, raw.playbook_file),
    ...path('playbook_dir'),
    ...path('group_vars'),
    ...path('host_vars'),
    role_paths: (raw.role_paths ?? []).map((r) => resolvePath(dir, r)),
    inventory_groups: [...(raw.inventory_groups ?? [])],
    extra_arguments: (raw.extra_arguments ?? []).map(String),
    extra_vars: strings(raw.extra_vars),
    ...path('galaxy_file'),
    command: raw.command ?? 'ansible-playbook',
    ...(raw.staging_directory !== undefined ? { staging_directory: raw.staging_directory } : {}),
    clean_staging_directory: raw.clean_staging_directory ?? true,
    ...runControls(raw),
    ...(raw.cache === false ? { cache: false } : {}),
  };
}

function ansible(dir: string, raw: RawAnsible): AnsibleProvisioner {
  return {
    type: 'ansible',
    playbook_files: playbookFiles(dir, raw.playbook_file),
    host_alias: raw.host_alias ?? 'default',
    groups: [...(raw.groups ?? [])],
    ...(raw.user !== undefined ? { user: raw.user } : {}),
    become: raw.become ?? false,
    extra_arguments: (raw.extra_arguments ?? []).map(String),
    extra_vars: strings(raw.extra_vars),
    ansible_env_vars: strings(raw.ansible_env_vars),
    ...(raw.galaxy_file !== undefined ? { galaxy_file: resolvePath(dir, raw.galaxy_file) } : {}),
    ...(raw.roles_path !== undefined ? { roles_path: resolvePath(dir, raw.roles_path) } : {}),
    ...(raw.collections_path !== undefined ? { collections_path: resolvePath(dir, raw.collections_path) } : {}),
    command: raw.command ?? 'ansible-playbook',
    ...runControls(raw),
    ...(raw.cache === false ? { cache: false } : {}),
  };
}

/** A trailing slash means "the directory's contents" (Packer's rule); resolve() would drop it. */
const hostPath = (dir: string, written: string): string => resolvePath(dir, written) + (/[/\\]$/.test(written) ? '/' : '');

const strings = (map: Record<string, Scalar> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, String(v)]));

function postProcessor(dir: string, raw: RawPostProcessor): PostProcessor {
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
  return { type: 'shell-local', ...shellLocalCommands(dir, raw['shell-local']) };
}

/** normalise() only runs on validated data; reaching this is a bug in validation. */
const unvalidated = (what: string) =>
  new KilnError('E_TEMPLATE', `internal error: ${what} reached normalisation unvalidated`, { hint: 'please report this as a kiln bug' });

const duration = (text: string | undefined, fallback: string): number => parseDuration(text ?? fallback)!;
const optionalDuration = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseDuration(text)!);
