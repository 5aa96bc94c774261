// communicator, ssh_* and shutdown_* -> ssh and shutdown.
import type { PluginConfig } from '../model.js';
import { durationTo, integerTo, noted, readElsewhere, refused, settingOf, stringTo, type KeyHandler, type KeyPattern, type KeyTable } from './key-table.js';
import type { Translator } from './translator.js';
import { readString } from './values.js';

const FORWARDED = 'kiln forwards a free 127.0.0.1 port to the guest\'s SSH port itself';
const NOT_THROUGH = 'kiln connects only to the guest through its own port forward: remove it';

const sshTimeout: KeyHandler = durationTo('ssh', 'timeout');

export const COMMUNICATOR_KEYS: KeyTable = {
  communicator: readElsewhere,
  ssh_username: stringTo('ssh', 'username'),
  ssh_password: stringTo('ssh', 'password'),
  ssh_private_key_file: stringTo('ssh', 'private_key'),
  ssh_port: integerTo('ssh', 'port'),
  ssh_timeout: sshTimeout,
  ssh_wait_timeout: readElsewhere,
  ssh_handshake_attempts: noted('kiln retries the login until ssh.timeout'),
  pause_before_connecting: noted('kiln logs in as soon as the guest accepts, and retries until ssh.timeout'),
  ssh_pty: noted('kiln runs commands without a terminal; a sudo that insists on one (requiretty) fails'),
  ssh_disable_agent_forwarding: noted('kiln never forwards an agent'),
  ssh_keep_alive_interval: noted('kiln keeps its own keep-alive'),
  ssh_read_write_timeout: noted('provisioners have their own timeout'),
  ssh_file_transfer_method: noted('kiln uploads over SFTP'),
  ssh_clear_authorized_keys: noted('kiln leaves the guest\'s authorized_keys as the build made it (a key installed from {{ .SSHPublicKey }} stays)'),
  ssh_ciphers: noted('kiln uses its SSH library\'s algorithms'),
  ssh_key_exchange_algorithms: noted('kiln uses its SSH library\'s algorithms'),
  temporary_key_pair_type: noted('kiln generates an ed25519 key pair for the build'),
  temporary_key_pair_bits: noted('kiln generates an ed25519 key pair for the build'),
  temporary_key_pair_name: noted('kiln generates an ed25519 key pair for the build'),
  host_port_min: noted(FORWARDED),
  host_port_max: noted(FORWARDED),
  ssh_host_port_min: noted(FORWARDED),
  ssh_host_port_max: noted(FORWARDED),
  skip_nat_mapping: refused(`kiln always reaches SSH through its NAT port forward: remove it`),
  ssh_host: refused(NOT_THROUGH),
  ssh_agent_auth: refused('kiln logs in with ssh_password or ssh_private_key_file (or its own key), not an agent'),
  ssh_certificate_file: refused('kiln does not log in with SSH certificates: use ssh_private_key_file'),
  ssh_keypair_name: refused('kiln does not use a named key pair: use ssh_private_key_file'),
  ssh_local_tunnels: refused('kiln opens no SSH tunnels: remove it'),
  ssh_remote_tunnels: refused('kiln opens no SSH tunnels: remove it'),
  shutdown_command: stringTo('shutdown', 'command'),
  shutdown_timeout: durationTo('shutdown', 'timeout'),
  post_shutdown_delay: noted('kiln exports as soon as the VM is off'),
};

/** Keys named by a pattern: WinRM's (another communicator), SSH bastions' and proxies'. */
export const COMMUNICATOR_PATTERNS: KeyPattern[] = [
  // Set beside an SSH communicator (bento sets both for every OS), as Packer, they change nothing.
  [/^winrm_/, noted('kiln talks to the guest over SSH (communicator = "winrm" itself is refused)')],
  [/^ssh_(bastion|proxy)_/, refused(NOT_THROUGH)],
];

export function translateCommunicator(t: Translator, source: PluginConfig): void {
  const communicatorSetting = settingOf(source, 'communicator');
  const communicator = communicatorSetting ? readString(t, 'communicator', communicatorSetting) : 'ssh';
  if (communicatorSetting && communicator !== undefined && communicator !== 'ssh' && communicator !== 'none') {
    t.problem(communicatorSetting.pos, `communicator: kiln talks to guests over SSH only, not ${JSON.stringify(communicator)}: use "ssh" or "none"`);
  }
  if (communicator === 'none') {
    for (const key of Object.keys(source.settings).filter((k) => k.startsWith('ssh_'))) {
      t.note(source.settings[key]!.pos, `${key} is ignored: communicator is "none"`);
    }
    for (const path of [...t.origins.keys()].filter((p) => p.startsWith('ssh.'))) t.origins.delete(path);
    t.set(['ssh'], 'none', communicatorSetting!.pos);
    return;
  }
  const waitTimeout = settingOf(source, 'ssh_wait_timeout');
  if (waitTimeout && settingOf(source, 'ssh_timeout')) t.note(waitTimeout.pos, 'ssh_wait_timeout is ignored: ssh_timeout is given too');
  else if (waitTimeout) sshTimeout(t, waitTimeout, 'ssh_wait_timeout', []);
  if (t.get(['ssh', 'username']) === undefined) {
    t.problem(source.pos, `${source.type} source: ssh_username is required with the SSH communicator (or set communicator = "none")`);
  }
  if (t.get(['shutdown', 'command']) === undefined) {
    // Packer halts the VM at once without a shutdown command; kiln's nearest is the ACPI button.
    t.set(['shutdown', 'command'], 'none', source.pos);
    t.note(source.pos, 'no shutdown_command: Packer stops the VM at once, kiln presses the ACPI power button and waits shutdown_timeout');
  }
}
