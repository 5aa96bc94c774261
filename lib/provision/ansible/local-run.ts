// The ansible-local provisioner: the playbook (and playbook_dir, group_vars, host_vars,
// roles, requirements) uploaded to a staging folder in the guest, the guest's own
// ansible-playbook run there with the local connection, the folder removed afterwards.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { CancelledError, KilnError, throwIfAborted } from '../../errors.js';
import type { Log } from '../../log/log.js';
import type { ExecResult, SshSession } from '../../ssh/session.js';
import { shellWord } from '../../ssh/shell-quote.js';
import type { AnsibleLocalProvisioner } from '../../template/types.js';
import { formatDuration } from '../../util/duration.js';
import { describeEnd } from '../failure.js';
import { withRunControls } from '../run-controls.js';
import { cleanCommand, galaxyCommand, INVENTORY_NAME, localInventory, playbookCommand, stagedUploads } from './local-command.js';
import { AnsibleOutputWatcher } from './output-watcher.js';
import { playbookFailure } from './run.js';

export interface AnsibleLocalOptions {
  label: string;
  log: Log;
  signal?: AbortSignal;
  buildVars: Record<string, string>;
}

const MISSING_HINT = 'ansible-playbook is not installed in the guest: install it first (a shell provisioner with, e.g., apt-get install -y ansible-core), or use the ansible provisioner, which runs Ansible on this host';

export async function runAnsibleLocalProvisioner(session: SshSession, p: AnsibleLocalProvisioner, options: AnsibleLocalOptions): Promise<void> {
  const { label, log, signal } = options;
  throwIfAborted(signal);
  const staging = p.staging_directory ?? `/tmp/kiln-ansible-local-${randomBytes(6).toString('hex')}`;
  await withRunControls(p, { label, log, signal, what: 'ansible-playbook in the guest', canRetry: () => !session.closed }, async (attemptSignal) => {
    try {
      await stage(session, p, staging, { ...options, signal: attemptSignal });
      if (p.galaxy_file !== undefined) await guestCommand(session, galaxyCommand(p, staging)!, 'ansible-galaxy', { ...options, signal: attemptSignal });
      await guestCommand(session, playbookCommand(p, staging, options.buildVars), 'ansible-playbook', { ...options, signal: attemptSignal });
    } finally {
      if (p.clean_staging_directory && !session.closed) await clean(session, staging, options);
    }
  });
}

async function stage(session: SshSession, p: AnsibleLocalProvisioner, staging: string, { label, log, signal }: AnsibleLocalOptions): Promise<void> {
  const made = await session.exec(`mkdir -p ${shellWord(staging)}`, { signal });
  if (made.exitCode !== 0) {
    throw new KilnError('E_PROVISION', `${label}: could not create the staging folder ${staging} in the guest (${describeEnd(made)}): ${made.stderrTail.join(' ')}`, {
      hint: 'set staging_directory to a folder the login user may create',
    });
  }
  for (const upload of stagedUploads(p, staging)) {
    try {
      if (upload.directory) await session.uploadDirectory(upload.local, upload.remote, { signal });
      else await session.uploadFile(upload.local, upload.remote, undefined, { signal });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw new KilnError('E_PROVISION', `${label}: uploading ${upload.local} to ${upload.remote} failed: ${(error as Error).message}`, { cause: error, hint: (error as KilnError).hint });
    }
  }
  await session.writeFile(posix.join(staging, INVENTORY_NAME), localInventory(p.inventory_groups));
  log.info(`${label}: staged the playbook in ${staging}`);
}

async function guestCommand(session: SshSession, command: string, program: string, { label, log, signal }: AnsibleLocalOptions): Promise<void> {
  log.info(`${label}: running ${command}`);
  const watcher = new AnsibleOutputWatcher();
  const started = Date.now();
  const onLine = (stream: 'stdout' | 'stderr') => (line: string) => {
    log.output(label, line, stream);
    watcher.push(line);
  };
  const result: ExecResult = await session.exec(command, { signal, onStdout: onLine('stdout'), onStderr: onLine('stderr') });
  if (result.disconnected) throw new KilnError('E_PROVISION', `${label}: the connection was lost while ${program} ran in the guest`, { hint: 'a playbook that reboots the guest needs a reboot provisioner after it instead' });
  if (result.exitCode === 127) throw new KilnError('E_PROVISION', `${label}: ${program} was not found in the guest`, { hint: MISSING_HINT });
  if (result.exitCode !== 0) {
    const tail = result.stderrTail.slice(-10).join('\n');
    throw playbookFailure(label, `${program} in the guest`, { ...(result.exitCode !== null ? { exitCode: result.exitCode } : {}), ...(result.signal ? { signal: result.signal } : {}), stderrTail: tail }, watcher.failures);
  }
  log.info(`${label}: ${program} done in ${formatDuration(Date.now() - started)}`);
}

/** Best effort: a staging folder left in the guest must not fail a build that succeeded. */
async function clean(session: SshSession, staging: string, { label, log }: AnsibleLocalOptions): Promise<void> {
  const result = await session.exec(cleanCommand(staging)).catch((error: unknown) => ({ exitCode: null, stderrTail: [(error as Error).message] }));
  if (result.exitCode === 0) log.info(`${label}: removed ${staging}`);
  else log.warn(`${label}: could not remove ${staging}: ${result.stderrTail.join(' ')}`);
}
