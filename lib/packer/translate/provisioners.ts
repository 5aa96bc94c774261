// Packer provisioners -> kiln's provision list: shell and file, one kiln entry per script
// or source file (each with the block's options), breakpoints skipped.
import { formatPath, type Segment } from '../../template/finding.js';
import type { PluginConfig, Setting } from '../model.js';
import { applyTable, booleanTo, durationTo, integerTo, noted, readElsewhere, settingOf, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import { packerBuildName } from './output.js';
import { blockName, type Translator } from './translator.js';
import { readEnvironmentVars, readInteger, readStringList, readStringMap } from './values.js';

const validExitCodes: KeyHandler = (t, setting, key, at) => {
  const list = Array.isArray(setting.value) ? setting.value : [setting.value];
  const codes = list.map((value) => readInteger(t, key, { value, pos: setting.pos }));
  if (codes.every((c) => c !== undefined)) t.set([...at, 'valid_exit_codes'], codes, setting.pos);
};

const SHELL_KEYS: KeyTable = {
  inline: readElsewhere,
  script: readElsewhere,
  scripts: readElsewhere,
  environment_vars: readElsewhere,
  env: readElsewhere,
  execute_command: stringTo('execute_command'),
  inline_shebang: stringTo('inline_shebang'),
  remote_folder: stringTo('remote_folder'),
  remote_path: stringTo('remote_path'),
  remote_file: noted('kiln names the uploaded script itself; remote_path sets the whole path'),
  skip_clean: booleanTo('skip_clean'),
  start_retry_timeout: durationTo('start_retry_timeout'),
  expect_disconnect: booleanTo('expect_disconnect'),
  valid_exit_codes: validExitCodes,
  pause_before: durationTo('pause_before'),
  pause_after: durationTo('pause_after'),
  max_retries: integerTo('max_retries'),
  timeout: durationTo('timeout'),
  binary: noted('kiln uploads scripts as they are'),
  use_env_var_file: noted('kiln exports env inside the command'),
  env_var_format: noted('kiln exports env inside the command'),
};

const FILE_KEYS: KeyTable = {
  source: readElsewhere,
  sources: readElsewhere,
  destination: stringTo('destination'),
  direction: stringTo('direction'),
  generated: noted('kiln checks that the source exists when the template is validated: make it before the build'),
  content: readElsewhere,
  pause_before: noted('kiln does not pause around file provisioners'),
  max_retries: noted('kiln does not retry file provisioners'),
  timeout: noted('kiln does not time file provisioners out'),
};

/** What Packer's shell provisioner puts in the guest's environment. */
function packerEnv(t: Translator): Record<string, string> {
  const http = t.get(['http']) !== undefined;
  return {
    PACKER_BUILDER_TYPE: t.build.source.type,
    PACKER_BUILD_NAME: packerBuildName(t.build),
    ...(http ? { PACKER_HTTP_ADDR: '{{ .HTTPIP }}:{{ .HTTPPort }}', PACKER_HTTP_IP: '{{ .HTTPIP }}', PACKER_HTTP_PORT: '{{ .HTTPPort }}' } : {}),
  };
}

/** Copies the entry at `from` to the index `to`, with its origins, changing `key` to `value`. */
function repeatEntry(t: Translator, from: Segment[], to: Segment[], key: string, value: string, setting: Setting): void {
  const entry = { ...(t.get(from) as Record<string, unknown>), [key]: value };
  t.set(to, entry, setting.pos);
  const prefix = formatPath(from);
  for (const [path, pos] of [...t.origins]) {
    if (path.startsWith(`${prefix}.`)) t.origins.set(formatPath(to) + path.slice(prefix.length), pos);
  }
  t.set([...to, key], value, setting.pos);
}

/** The one of `keys` given, as a list; a problem when none or more than one is. */
function oneOf(t: Translator, block: PluginConfig, keys: string[]): { key: string; setting: Setting; values: string[] } | undefined {
  const given = keys.filter((k) => settingOf(block, k));
  if (given.length !== 1) {
    const where = given.length ? settingOf(block, given[1]!)!.pos : block.pos;
    t.problem(where, `${blockName(block, 'provisioner')}: give exactly one of ${keys.join(', ')}`);
    return undefined;
  }
  const key = given[0]!;
  const setting = settingOf(block, key)!;
  const values = readStringList(t, key, setting);
  return values && { key, setting, values };
}

function shell(t: Translator, block: PluginConfig, index: number): number {
  const at = ['provision', index, 'shell'];
  t.set(at, {}, block.pos);
  applyTable(t, block, SHELL_KEYS, 'shell provisioner', at);
  let env = packerEnv(t);
  for (const key of ['environment_vars', 'env']) {
    const setting = settingOf(block, key);
    const values = setting && (key === 'env' ? readStringMap(t, key, setting) : readEnvironmentVars(t, key, setting));
    if (values) env = { ...env, ...values };
  }
  t.set([...at, 'env'], env, settingOf(block, 'environment_vars')?.pos ?? settingOf(block, 'env')?.pos ?? block.pos);
  const body = oneOf(t, block, ['inline', 'script', 'scripts']);
  if (!body) return 1;
  if (body.key === 'inline') {
    t.set([...at, 'inline'], body.values, body.setting.pos);
    return 1;
  }
  body.values.forEach((script, i) => {
    if (i === 0) t.set([...at, 'script'], script, body.setting.pos);
    else repeatEntry(t, at, ['provision', index + i, 'shell'], 'script', script, body.setting);
  });
  return Math.max(body.values.length, 1);
}

function file(t: Translator, block: PluginConfig, index: number): number {
  const at = ['provision', index, 'file'];
  t.set(at, {}, block.pos);
  applyTable(t, block, FILE_KEYS, 'file provisioner', at);
  const content = settingOf(block, 'content');
  if (content) {
    t.problem(content.pos, 'content: kiln uploads files only: write the content to a file and give it as source');
    return 1;
  }
  const body = oneOf(t, block, ['source', 'sources']);
  if (!body) return 1;
  body.values.forEach((source, i) => {
    if (i === 0) t.set([...at, 'source'], source, body.setting.pos);
    else repeatEntry(t, at, ['provision', index + i, 'file'], 'source', source, body.setting);
  });
  return Math.max(body.values.length, 1);
}

export function translateProvisioners(t: Translator, blocks: PluginConfig[]): void {
  let index = 0;
  for (const block of blocks) {
    if (block.type === 'shell') index += shell(t, block, index);
    else if (block.type === 'file') index += file(t, block, index);
    else if (block.type === 'breakpoint') t.note(block.pos, `${blockName(block, 'provisioner')} is skipped: kiln does not pause builds (use --on-error=ask to stop at a failure)`);
    else t.problem(block.pos, `${blockName(block, 'provisioner')}: kiln runs shell and file provisioners only: rewrite it as a shell script, or run it after the build`);
  }
}
