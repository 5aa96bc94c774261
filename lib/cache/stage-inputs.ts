// What determined each stage of a build, as named digests (keys.ts hashes them).
// Values are the resolved template's (variables substituted, defaults filled in,
// paths absolute), so comments, key order and quoting in the file never matter.
// Placeholders whose value differs on every build ({{ .HTTPPort }}, a generated
// {{ .SSHPublicKey }}) are kept as written; the generated key's identity is its own input.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { hostnameFor } from '../cloud-init/meta-data.js';
import { placeholderTable } from '../template/placeholders.js';
import { renderPartial } from '../template/render.js';
import type { AnsibleLocalProvisioner, AnsibleProvisioner, PluginStep, Provisioner, Template } from '../template/types.js';
import { fileSha256, treeEntries } from './file-digests.js';
import { digestOf, sha256Hex, type StageInputs } from './keys.js';

export interface StageDefinition extends StageInputs {
  /** running: snapshot of the live guest's disk; stopped: the disk after the guest powered off. */
  state: 'running' | 'stopped';
  /** provision stages: index into template.provision. */
  provisioner?: number;
  /** False from the first provisioner marked `cache: false` on: those stages always run. */
  cacheable: boolean;
}

/**
 * The stages of a build, in order: install (the guest answers SSH for the first time,
 * or, with `ssh: none`, has powered itself off), each provisioner, and the clean
 * shutdown. `sourceId` identifies the source's content ("sha256:<hex>").
 */
export async function stageDefinitions(template: Template, sourceId: string, signal?: AbortSignal): Promise<StageDefinition[]> {
  const install: StageDefinition = {
    label: 'install',
    kind: 'install',
    state: template.ssh === null ? 'stopped' : 'running',
    cacheable: true,
    inputs: await installInputs(template, sourceId, signal),
  };
  if (template.ssh === null) return [install];

  const stages = [install];
  let cacheable = true;
  for (const [index, p] of template.provision.entries()) {
    if (alwaysRuns(p)) cacheable = false;
    stages.push({
      label: `provision[${index}]`,
      kind: 'provision',
      state: 'running',
      provisioner: index,
      cacheable,
      inputs: await provisionerInputs(template, p, signal),
    });
  }
  const command = template.shutdown.command;
  stages.push({
    label: 'shutdown',
    kind: 'shutdown',
    state: 'stopped',
    cacheable,
    inputs: {
      'shutdown.command': digestOf(command === null ? { acpi: true } : stable(template, command)),
      // How free space is given back before the guest powers off (trim or zeros).
      'machine.disk_discard': digestOf(template.machine.disk_discard),
    },
  });
  return stages;
}

/**
 * From this provisioner on, nothing resumes from the cache: `cache: false`; a download
 * or shell-local (what they do is on the host, not in the disk a resumed build starts
 * from); a breakpoint (a pause the user asked for).
 */
function alwaysRuns(p: Provisioner): boolean {
  if (p.type === 'breakpoint' || p.type === 'shell-local') return true;
  if (p.type === 'plugin') return p.cache === false;
  if (p.type === 'file' && p.direction === 'download') return true;
  return 'cache' in p && p.cache === false;
}

async function installInputs(t: Template, sourceId: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const m = t.machine;
  const inputs: Record<string, string> = {
    hypervisor: digestOf(t.hypervisor),
    source: digestOf(sourceId),
    // Settings an installer can see in what it writes. cpus, accel and the QEMU binary
    // only change how fast it runs.
    'machine.disk': digestOf(m.disk_bytes),
    'machine.memory': digestOf(m.memory_mib),
    'machine.firmware': digestOf(m.firmware),
    'machine.qemu.machine': digestOf(m.qemu.machine),
    'machine.qemu.args': digestOf(m.qemu.args),
    // The device name the installer writes to (vda, sda) and the NIC it configures.
    'machine.qemu.devices': digestOf({ disk: m.qemu.disk_interface, net: m.qemu.net_device ?? null }),
    // Split into lines or not, the same keys are typed.
    'boot.command': digestOf(stable(t, t.boot.command.join(''))),
    'ssh key': digestOf(await sshKeyIdentity(t)),
  };
  if (t.hypervisor === 'virtualbox') inputs['machine.virtualbox'] = digestOf(m.virtualbox);
  for (const [path, text] of Object.entries(t.http.content)) inputs[`http.content ${path}`] = digestOf(stable(t, text));
  if (t.http.directory) {
    for (const entry of await treeEntries(t.http.directory, signal)) {
      // Served bytes only: the server ignores modes, and empty directories serve nothing.
      if (entry.kind === 'file') inputs[`http.directory ${shown(t, t.http.directory)}/${entry.rel}`] = entry.sha256!;
    }
  }
  for (const key of ['cd', 'floppy'] as const) {
    const spec = t[key];
    if (!spec) continue;
    inputs[`${key} label`] = digestOf(spec.label ?? null);
    for (const [path, text] of Object.entries(spec.content)) inputs[`${key}.content ${path}`] = digestOf(stable(t, text));
    for (const file of spec.files) {
      for (const entry of await treeEntries(file, signal)) inputs[`${key}.files ${shown(t, file)}${entry.rel ? `/${entry.rel}` : ''}`] = digestOf(entry);
    }
  }
  if (t.cloud_init) {
    inputs.cloud_init = digestOf(t.cloud_init);
    // What kiln adds to the seed (cloud-init-seed.ts): cloud-init applies it once per
    // instance, and a resumed guest keeps its instance, so a change must rebuild.
    const ssh = t.ssh;
    inputs['cloud_init build user'] = digestOf({ username: ssh?.username, password: ssh?.password, hostname: hostnameFor(t.name) });
  }
  return inputs;
}

async function provisionerInputs(t: Template, p: Provisioner, signal?: AbortSignal): Promise<Record<string, string>> {
  if (p.type === 'file' && p.direction === 'download') {
    return { type: digestOf('file download'), source: digestOf(stable(t, p.source)), destination: digestOf(p.destination) };
  }
  if (p.type === 'file') {
    const inputs: Record<string, string> = { type: digestOf('file'), destination: digestOf(stable(t, p.destination)) };
    const name = `source ${shown(t, p.source)}`;
    const entries = await treeEntries(p.source, signal);
    if (entries.length === 1 && entries[0]!.kind === 'file') {
      inputs[name] = digestOf(entries[0]);
    } else {
      // A trailing slash uploads the directory's contents rather than the directory.
      inputs[name] = digestOf({ directory: true, contentsOnly: p.source.endsWith('/') });
      for (const entry of entries.slice(1)) inputs[`source ${shown(t, p.source).replace(/\/$/, '')}/${entry.rel}`] = digestOf(entry);
    }
    return inputs;
  }
  if (p.type === 'ansible' || p.type === 'ansible-local') return ansibleInputs(t, p, signal);
  if (p.type === 'reboot') return { type: digestOf('reboot'), command: digestOf(p.command) };
  // Never resumed (alwaysRuns): keyed by kind only, for kiln cache's listing.
  if (p.type === 'breakpoint' || p.type === 'shell-local') return { type: digestOf(p.type) };
  if (p.type === 'plugin') return pluginInputs(t, p, signal);
  const inputs: Record<string, string> = {
    type: digestOf('shell'),
    sudo: digestOf(p.sudo),
    env: digestOf(Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, stable(t, v)]))),
    expect_disconnect: digestOf(p.expect_disconnect),
    // What decides how the script runs and whether it counts as done; pauses, retries and
    // timeouts only decide how long that takes.
    run: digestOf({
      execute_command: p.execute_command === undefined ? null : stable(t, p.execute_command),
      inline_shebang: p.inline_shebang ?? null,
      valid_exit_codes: p.valid_exit_codes,
      remote: p.remote_path ?? p.remote_folder,
      skip_clean: p.skip_clean,
    }),
  };
  // Scripts are uploaded byte for byte; inline commands are rendered first.
  if (p.script !== undefined) inputs[`script ${shown(t, p.script)}`] = await fileSha256(p.script, signal);
  if (p.inline) inputs['inline commands'] = digestOf(p.inline.map((line) => stable(t, line)));
  return inputs;
}

/**
 * A plugin kind: its options, the plugin's module file, and the files and values the
 * kind declared (lib/plugins/kind.ts); an uncacheable kind by its name only.
 */
async function pluginInputs(t: Template, p: PluginStep, signal?: AbortSignal): Promise<Record<string, string>> {
  const inputs: Record<string, string> = { type: digestOf(`plugin ${p.kind}`) };
  if (p.cache === false) return inputs;
  inputs.options = digestOf(p.options);
  inputs.values = digestOf(p.cache.values);
  for (const file of p.cache.files) {
    for (const entry of await treeEntries(file, signal)) inputs[`file ${shown(t, file)}${entry.rel ? `/${entry.rel}` : ''}`] = digestOf(entry);
  }
  return inputs;
}

/**
 * ansible: every file under each playbook's folder (roles, group_vars, templates,
 * ansible.cfg), the requirements file and the role/collection folders; ansible-local:
 * everything it uploads. And the options that decide what runs; pauses, retries and the
 * timeout only decide how long it takes.
 */
async function ansibleInputs(t: Template, p: AnsibleProvisioner | AnsibleLocalProvisioner, signal?: AbortSignal): Promise<Record<string, string>> {
  const { pause_before_ms, max_retries, timeout_ms, cache, playbook_files, galaxy_file, extra_vars, ...options } = p;
  const inputs: Record<string, string> = {
    type: digestOf(p.type),
    options: digestOf(Object.fromEntries(Object.entries(options).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => hostPath(t, x)) : hostPath(t, v)]))),
    playbooks: digestOf(playbook_files.map((f) => shown(t, f))),
    extra_vars: digestOf(Object.fromEntries(Object.entries(extra_vars).map(([k, v]) => [k, stable(t, v)]))),
  };
  const trees = p.type === 'ansible'
    ? [...new Set(playbook_files.map((f) => dirname(f))), p.roles_path, p.collections_path]
    : [...playbook_files, p.playbook_dir, p.group_vars, p.host_vars, ...p.role_paths];
  for (const root of [...trees, galaxy_file]) {
    if (root === undefined) continue;
    for (const entry of await treeEntries(root, signal)) {
      const path = entry.rel ? join(root, entry.rel) : root;
      // A playbook beside the template keys on neither the build's own output nor the template (its options are keyed above).
      if (entry.kind === 'file' && path !== t.file && !isInside(path, t.output.directory)) inputs[`${p.type} ${shown(t, path)}`] = entry.sha256!;
    }
  }
  return inputs;
}

/** Host paths among the options as shown (relative to the template), so a moved project keeps its keys. */
const hostPath = (t: Template, value: unknown): unknown => (typeof value === 'string' && isAbsolute(value) ? shown(t, value) : value);

const isInside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Who can log in to the installed guest: it decides what the answer file put there. */
async function sshKeyIdentity(t: Template): Promise<string> {
  if (t.ssh === null) return 'none';
  if (t.ssh.private_key) return `key ${sha256Hex(await readFile(t.ssh.private_key))}`;
  if (t.ssh.password !== undefined) return 'password';
  // A fresh key pair is stored with the install layer and reused by every resumed build.
  return 'generated ed25519';
}

/** The text with every placeholder filled that is the same on each build; the others stay as written. */
export function stable(t: Template, text: string): string {
  const values = placeholderTable({ name: t.name, outputDir: t.output.directory, httpPort: '{{ .HTTPPort }}', sshPublicKey: '{{ .SSHPublicKey }}', httpProxy: '{{ .HTTPProxy }}', proxyUrl: '{{ .ProxyURL }}' });
  try {
    return renderPartial(text, values);
  } catch {
    return text; // malformed expressions fail the build where they are rendered; as written they still key
  }
}

/** A path as messages show it: relative to the template when inside its directory. */
function shown(t: Template, path: string): string {
  const rel = relative(t.dir, path);
  const trailing = path.endsWith('/') && rel ? '/' : '';
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel + trailing : path;
}
