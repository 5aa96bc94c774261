// The ansible provisioner: ansible-playbook on this host against the guest, with an
// inventory kiln writes (shown in build.log) pointing straight at the forwarded SSH port.
// A password never reaches the inventory, the command line or the log: it goes in a 0600
// vars file that is removed when the run ends.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KilnError, throwIfAborted } from '../../errors.js';
import type { Log } from '../../log/log.js';
import type { AnsibleProvisioner } from '../../template/types.js';
import { findExecutable } from '../../util/find-executable.js';
import { formatDuration } from '../../util/duration.js';
import { withRunControls } from '../run-controls.js';
import { ansibleArgs, ansibleEnv, secretVarsJson, shownCommand, type AnsibleRunFiles } from './command.js';
import { installGalaxyRequirements } from './galaxy.js';
import { describeExit, runHostProgram } from './host-program.js';
import { inventoryYaml, type GuestConnection } from './inventory.js';
import { AnsibleOutputWatcher, type TaskFailure } from './output-watcher.js';

export interface AnsibleRunOptions {
  /** e.g. "provision[2] ansible": prefixes its output lines and names it in errors. */
  label: string;
  log: Log;
  signal?: AbortSignal;
  connection: GuestConnection;
  /** A folder of this run's own (inventory, password file, galaxy installs); created here. */
  workDir: string;
  /** Extra vars every playbook gets, with Packer's names (packer_build_name, ...). */
  buildVars: Record<string, string>;
}

export async function runAnsibleProvisioner(p: AnsibleProvisioner, options: AnsibleRunOptions): Promise<void> {
  const { label, log, signal, connection } = options;
  throwIfAborted(signal);
  if (connection.privateKeyFile === undefined && connection.password !== undefined && !findExecutable('sshpass')) {
    throw new KilnError('E_PROVISION', `${label}: ansible logs in with ssh.password, which needs sshpass, and sshpass was not found on this host (PATH)`, {
      hint: 'install sshpass (Debian/Ubuntu: apt-get install sshpass), or give the build an ssh.private_key',
    });
  }
  await mkdir(options.workDir, { recursive: true });
  const playbookDir = dirname(p.playbook_files[0]!);
  const files = await writeRunFiles(p, options, playbookDir);
  try {
    const args = ansibleArgs(p, files, options.buildVars);
    const env = ansibleEnv(p, files);
    await withRunControls(p, { label, log, signal, what: p.command }, (attemptSignal) => runOnce(p, args, env, playbookDir, { ...options, signal: attemptSignal }));
  } finally {
    if (files.secretVars !== undefined) await rm(files.secretVars, { force: true });
  }
}

async function writeRunFiles(p: AnsibleProvisioner, options: AnsibleRunOptions, playbookDir: string): Promise<AnsibleRunFiles> {
  const { label, log, connection, workDir } = options;
  const inventory = join(workDir, 'inventory.yml');
  const text = inventoryYaml({ hostAlias: p.host_alias, groups: p.groups, connection });
  await writeFile(inventory, text, { mode: 0o600 });
  log.info(`${label}: inventory ${inventory}:`);
  for (const line of text.trimEnd().split('\n')) log.info(`${label}:   ${line}`);
  const files: AnsibleRunFiles = { inventory };
  if (connection.password !== undefined && (connection.privateKeyFile === undefined || p.become)) {
    files.secretVars = join(workDir, 'login.json');
    await writeFile(files.secretVars, connection.privateKeyFile === undefined ? secretVarsJson(connection.password, p.become) : JSON.stringify({ ansible_become_password: connection.password }), { mode: 0o600 });
  }
  const config = join(playbookDir, 'ansible.cfg');
  if (existsSync(config) && p.ansible_env_vars.ANSIBLE_CONFIG === undefined) {
    files.config = config;
    log.info(`${label}: using ${config}`);
  }
  if (p.galaxy_file !== undefined) {
    const installed = await installGalaxyRequirements(p.galaxy_file, join(workDir, 'galaxy'), { label, log, cwd: dirname(p.galaxy_file), env: ansibleEnv(p, files), signal: options.signal });
    files.galaxyRoles = installed.roles;
    files.galaxyCollections = installed.collections;
  }
  return files;
}

async function runOnce(p: AnsibleProvisioner, args: string[], env: Record<string, string>, cwd: string, options: AnsibleRunOptions): Promise<void> {
  const { label, log, signal } = options;
  log.info(`${label}: running ${shownCommand(p.command, args)}`);
  const watcher = new AnsibleOutputWatcher();
  const started = Date.now();
  const result = await runHostProgram(p.command, args, { label, log, cwd, env, signal, onLine: (line) => watcher.push(line) });
  if (result.exitCode !== 0) throw playbookFailure(label, p.command, result, watcher.failures);
  log.info(`${label}: done in ${formatDuration(Date.now() - started)}`);
}

export function playbookFailure(label: string, command: string, result: { exitCode?: number; signal?: string; stderrTail: string }, failures: readonly TaskFailure[]): KilnError {
  const first = failures[0];
  if (first) {
    const what = first.kind === 'UNREACHABLE' ? `could not reach ${first.host}` : `task "${first.task}" failed on ${first.host}`;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failure${failures.length > 2 ? 's' : ''})` : '';
    return new KilnError('E_PROVISION', `${label}: ${what}${more}: ${first.message}`, {
      hint: first.kind === 'UNREACHABLE'
        ? 'ansible could not log in to the guest: build.log shows the inventory it used; check user and that the guest\'s sshd is up'
        : 'build.log has the whole ansible output; run the playbook with extra_arguments: ["-vvv"] for more',
    });
  }
  const tail = result.stderrTail;
  return new KilnError('E_PROVISION', `${label}: ${command} ${describeExit(result)}${tail ? `:\n${tail}` : ''}`, {
    hint: 'build.log has the whole ansible output (a syntax error or a missing role is named there)',
  });
}
