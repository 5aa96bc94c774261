// Semantic rules of what a build runs: provisioners and post-processors (exactly-one-of
// choices, empty lists, script and playbook paths that must exist, environment variable
// names, durations).
import { Checker, isRecord, type Data } from './checker.js';
import type { Segment } from './finding.js';

export function checkProvision(c: Checker, provision: unknown): void {
  if (!Array.isArray(provision)) return;
  provision.forEach((item, i) => {
    if (!isRecord(item)) return;
    if (isRecord(item.shell)) checkShell(c, ['provision', i, 'shell'], item.shell);
    if (isRecord(item.file)) checkFile(c, ['provision', i, 'file'], item.file);
    if (isRecord(item.ansible)) checkAnsible(c, ['provision', i, 'ansible'], item.ansible);
    if (isRecord(item['ansible-local'])) checkAnsibleLocal(c, ['provision', i, 'ansible-local'], item['ansible-local']);
    if (isRecord(item['shell-local'])) checkShellLocal(c, ['provision', i, 'shell-local'], item['shell-local'], 'provisioner');
    if (isRecord(item.reboot)) {
      c.duration(['provision', i, 'reboot', 'pause_before'], item.reboot.pause_before);
      c.duration(['provision', i, 'reboot', 'timeout'], item.reboot.timeout, { positive: true });
      if (typeof item.reboot.command === 'string' && !item.reboot.command.trim()) c.problem(['provision', i, 'reboot', 'command'], 'the command is empty: give one that reboots the guest, or remove it for sudo reboot');
    }
    for (const kind of ['file', 'shell-local'] as const) {
      const entry = item[kind];
      if (!isRecord(entry)) continue;
      c.duration(['provision', i, kind, 'pause_before'], entry.pause_before);
      c.duration(['provision', i, kind, 'timeout'], entry.timeout, { positive: true });
    }
  });
}

function checkShell(c: Checker, path: Segment[], shell: Data): void {
  if (shell.inline !== undefined && shell.script !== undefined) {
    c.problem([...path, 'script'], 'give either inline or script, not both', 'key');
  } else if (shell.inline === undefined && shell.script === undefined) {
    c.problem(path, 'missing "inline" or "script": give a list of commands or a script path', 'key');
  }
  if (Array.isArray(shell.inline) && shell.inline.length === 0) c.problem([...path, 'inline'], 'no commands: give at least one, or remove this provisioner');
  c.localPath([...path, 'script'], shell.script, 'file');
  checkEnvNames(c, [...path, 'env'], shell.env, 'env');
  if (shell.execute_command !== undefined && shell.sudo === true) {
    c.problem([...path, 'sudo'], 'execute_command decides how the script runs: put sudo in it (e.g. "sudo -E sh {{ .Path }}") and remove sudo', 'key');
  }
  if (typeof shell.execute_command === 'string' && !shell.execute_command.includes('.Path')) {
    c.problem([...path, 'execute_command'], 'the command never runs the script: put {{ .Path }} where the script goes');
  }
  if (shell.remote_path !== undefined && shell.remote_folder !== undefined) c.problem([...path, 'remote_folder'], 'give remote_path or remote_folder, not both', 'key');
  for (const key of ['remote_path', 'remote_folder'] as const) {
    if (typeof shell[key] === 'string' && !(shell[key] as string).startsWith('/')) c.problem([...path, key], 'give an absolute path in the guest, like /tmp');
  }
  for (const key of ['pause_before', 'pause_after'] as const) c.duration([...path, key], shell[key]);
  for (const key of ['timeout', 'start_retry_timeout'] as const) c.duration([...path, key], shell[key], { positive: true });
}

function checkFile(c: Checker, path: Segment[], file: Data): void {
  const download = file.direction === 'download';
  if (download) c.localPath([...path, 'destination'], file.destination, 'file or directory');
  else c.localPath([...path, 'source'], file.source, 'file or directory');
  const guestSide = download ? 'source' : 'destination';
  if (file[guestSide] === '') c.problem([...path, guestSide], `the ${guestSide} is empty: give a path in the guest`);
}

/** What ansible and ansible-local share: playbooks, galaxy_file, extra_vars, pause_before and timeout. */
function checkPlaybookRun(c: Checker, path: Segment[], ansible: Data): void {
  const playbooks = ansible.playbook_file;
  if (Array.isArray(playbooks)) {
    if (playbooks.length === 0) c.problem([...path, 'playbook_file'], 'no playbooks: give at least one, or remove this provisioner');
    playbooks.forEach((playbook, j) => c.localPath([...path, 'playbook_file', j], playbook, 'file'));
  } else {
    c.localPath([...path, 'playbook_file'], playbooks, 'file');
  }
  c.localPath([...path, 'galaxy_file'], ansible.galaxy_file, 'file');
  if (isRecord(ansible.extra_vars)) {
    for (const name of Object.keys(ansible.extra_vars)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) c.problem([...path, 'extra_vars', name], `"${name}" is not a valid Ansible variable name: use letters, digits and "_", not starting with a digit`, 'key');
    }
  }
  c.duration([...path, 'pause_before'], ansible.pause_before);
  c.duration([...path, 'timeout'], ansible.timeout, { positive: true });
}

function checkAnsible(c: Checker, path: Segment[], ansible: Data): void {
  checkPlaybookRun(c, path, ansible);
  for (const key of ['roles_path', 'collections_path'] as const) c.localPath([...path, key], ansible[key], 'directory');
  checkEnvNames(c, [...path, 'ansible_env_vars'], ansible.ansible_env_vars, 'env');
}

function checkAnsibleLocal(c: Checker, path: Segment[], local: Data): void {
  checkPlaybookRun(c, path, local);
  for (const key of ['playbook_dir', 'group_vars', 'host_vars'] as const) c.localPath([...path, key], local[key], 'directory');
  if (Array.isArray(local.role_paths)) local.role_paths.forEach((role, j) => c.localPath([...path, 'role_paths', j], role, 'directory'));
  const staging = local.staging_directory;
  if (typeof staging === 'string' && (!staging.startsWith('/') || /^\/+$/.test(staging))) {
    c.problem([...path, 'staging_directory'], 'give an absolute folder in the guest other than /, like /tmp/ansible (kiln removes it afterwards)');
  }
}

export function checkPostProcess(c: Checker, postProcess: unknown): void {
  if (!Array.isArray(postProcess)) return;
  postProcess.forEach((item, i) => {
    if (!isRecord(item)) return;
    const checksum = item.checksum;
    if (isRecord(checksum) && Array.isArray(checksum.types)) {
      const types = checksum.types;
      types.forEach((type, j) => {
        if (types.indexOf(type) < j) c.problem(['post_process', i, 'checksum', 'types', j], `${JSON.stringify(type)} is listed twice: remove the duplicate`);
      });
    }
    const manifest = item.manifest;
    if (isRecord(manifest) && typeof manifest.output === 'string' && !manifest.output.trim()) {
      c.problem(['post_process', i, 'manifest', 'output'], 'the path is empty: give a file like packer-manifest.json, or remove output for that default');
    }
    if (isRecord(manifest)) checkEnvNames(c, ['post_process', i, 'manifest', 'custom_data'], manifest.custom_data, 'key');
    const shell = item['shell-local'];
    if (isRecord(shell)) checkShellLocal(c, ['post_process', i, 'shell-local'], shell, 'post-processor');
    if (isRecord(item.compress)) checkCompress(c, ['post_process', i, 'compress'], item.compress);
  });
}

function checkCompress(c: Checker, path: Segment[], compress: Data): void {
  const format = typeof compress.format === 'string' ? compress.format : 'tar.gz';
  if (format !== 'zst' && typeof compress.level === 'number' && compress.level > 9) {
    c.problem([...path, 'level'], `${compress.level} is out of range for ${format}: gzip levels go from 1 to 9 (zstd's to 19)`);
  }
  if (format !== 'tar.gz' && compress.output !== undefined) {
    c.problem([...path, 'output'], `${format} compresses each file beside itself (FILE.${format}); only tar.gz writes one archive: remove output`, 'key');
  }
}

function checkShellLocal(c: Checker, path: Segment[], shell: Data, kind: 'provisioner' | 'post-processor'): void {
  const given = (['inline', 'script', 'scripts'] as const).filter((k) => shell[k] !== undefined);
  if (given.length === 0) c.problem(path, 'missing "inline", "script" or "scripts": give a list of commands, a script path or a list of script paths', 'key');
  for (const extra of given.slice(1)) c.problem([...path, extra], `give only one of inline, script or scripts (found ${given.join(', ')})`, 'key');
  if (Array.isArray(shell.inline) && shell.inline.length === 0) c.problem([...path, 'inline'], `no commands: give at least one, or remove this ${kind}`);
  if (Array.isArray(shell.scripts) && shell.scripts.length === 0) c.problem([...path, 'scripts'], `no scripts: give at least one, or remove this ${kind}`);
  c.localPath([...path, 'script'], shell.script, 'file');
  if (Array.isArray(shell.scripts)) shell.scripts.forEach((script, j) => c.localPath([...path, 'scripts', j], script, 'file'));
  checkEnvNames(c, [...path, 'env'], shell.env, 'env');
}

/** Environment variable names (shell and shell-local env); custom_data keys are any text but empty. */
function checkEnvNames(c: Checker, path: Segment[], map: unknown, kind: 'env' | 'key'): void {
  if (!isRecord(map)) return;
  for (const name of Object.keys(map)) {
    if (kind === 'key' && !name.trim()) c.problem([...path, name], 'an empty key: give each value a name', 'key');
    if (kind === 'env' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      c.problem([...path, name], `"${name}" is not a valid environment variable name: use letters, digits and "_", not starting with a digit`, 'key');
    }
  }
}
