// Packer post-processor chains -> output.vagrant and kiln's post_process list.
import type { Segment } from '../../template/finding.js';
import type { PluginConfig } from '../model.js';
import { applyTable, booleanTo, integerTo, noted, readElsewhere, refused, settingOf, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import { blockName, type Translator } from './translator.js';
import { blockEnvironment, readString, readStringList, readStringMap } from './values.js';

const KEEPS = 'kiln keeps the images it exported';

const VAGRANT_PROVIDER: Readonly<Record<string, string>> = { qemu: 'libvirt', 'virtualbox-iso': 'virtualbox' };

const providerOverride: KeyHandler = (t, setting, key, at) => {
  const provider = readString(t, key, setting);
  const expected = t.get([...at, 'provider']);
  if (provider !== undefined && provider !== expected) {
    t.problem(setting.pos, `${key}: kiln makes ${String(expected)} boxes from a ${t.build.source.type} build, not ${JSON.stringify(provider)}`);
  }
};

const vagrantfileTemplate: KeyHandler = (t, setting, key, at) => {
  stringTo('vagrantfile')(t, setting, key, at);
  t.note(setting.pos, `${key}: Packer renders it as the box's whole Vagrantfile; kiln appends its text, as written, after its own Vagrantfile block`);
};

const VAGRANT_KEYS: KeyTable = {
  compression_level: integerTo('compression'),
  vagrantfile_template: vagrantfileTemplate,
  output: stringTo('output'),
  provider_override: providerOverride,
  keep_input_artifact: noted(KEEPS),
  vagrantfile_template_generated: noted('kiln reads vagrantfile_template when the template is validated'),
  include: refused('kiln packs only its own files into the box: remove it'),
  architecture: noted('kiln writes no architecture into the box'),
  override: readElsewhere,
};

/** The settings with override[provider] merged in, as Packer merges them for that provider's box. */
function withProviderOverride(t: Translator, block: PluginConfig, provider: string): PluginConfig {
  const override = settingOf(block, 'override');
  if (!override) return block;
  const byProvider = override.value;
  if (typeof byProvider !== 'object' || byProvider === null || Array.isArray(byProvider)) {
    t.problem(override.pos, 'override: expected a mapping of provider names to settings');
    return block;
  }
  const mine = Object.hasOwn(byProvider, provider) ? byProvider[provider] : undefined;
  const others = Object.keys(byProvider).filter((name) => name !== provider);
  if (others.length) t.note(override.pos, `override: kiln makes only the ${provider} box; the settings for ${others.join(', ')} are ignored`);
  if (typeof mine !== 'object' || mine === null || Array.isArray(mine)) return block;
  const merged = Object.fromEntries(Object.entries(mine).map(([key, value]) => [key, { value, pos: override.pos }]));
  return { ...block, settings: { ...block.settings, ...merged } };
}

const stringMapTo =
  (...path: Segment[]): KeyHandler =>
  (t, setting, key, at) => {
    const map = readStringMap(t, key, setting);
    if (map) t.set([...at, ...path], map, setting.pos);
  };

const checksumTypes: KeyHandler = (t, setting, key, at) => {
  const types = readStringList(t, key, setting);
  if (types) t.set([...at, 'types'], types, setting.pos);
};

const CHECKSUM_KEYS: KeyTable = {
  checksum_types: checksumTypes,
  output: noted('kiln writes <TYPE>SUMS files (sha256sum -c format) into the output directory'),
  keep_input_artifact: noted(KEEPS),
};

const MANIFEST_KEYS: KeyTable = {
  output: stringTo('output'),
  strip_path: booleanTo('strip_path'),
  custom_data: stringMapTo('custom_data'),
  strip_time: noted('kiln always records build_time'),
  keep_input_artifact: noted(KEEPS),
};

const SHELL_LOCAL_KEYS: KeyTable = {
  command: readElsewhere,
  inline: readElsewhere,
  script: stringTo('script'),
  scripts: readElsewhere,
  environment_vars: readElsewhere,
  env: readElsewhere,
  execute_command: refused('kiln runs inline commands with /bin/sh -c and scripts with /bin/sh: remove it'),
  inline_shebang: noted('kiln runs inline commands with /bin/sh -c'),
  use_linux_pathing: noted('kiln runs on the host\'s own shell'),
  env_var_format: noted('kiln sets env in the commands\' environment'),
  only_on: noted('kiln runs post-processors on every host'),
  valid_exit_codes: refused('kiln fails the build on any non-zero exit: remove it, or end the script with "exit 0"'),
  keep_input_artifact: noted(KEEPS),
};

/** Packer infers the archive kind from output's extension unless format names it. */
const COMPRESS_KINDS: readonly [RegExp, string][] = [
  [/\.(tar\.gz|tgz)$/, 'tar.gz'],
  [/\.gz$/, 'gz'],
  [/\.zip$/, 'zip'],
  [/\.lz4$/, 'lz4'],
  [/\.bgzf$/, 'bgzf'],
];

const COMPRESS_KEYS: KeyTable = {
  output: readElsewhere,
  format: readElsewhere,
  compression_level: integerTo('level'),
  keep_input_artifact: booleanTo('keep_originals'),
};

function compress(t: Translator, block: PluginConfig, at: Segment[]): void {
  const output = settingOf(block, 'output');
  const format = settingOf(block, 'format');
  const written = output && readString(t, 'output', output);
  const named = format && readString(t, 'format', format);
  const kind = named !== undefined ? (named === 'tgz' ? 'tar.gz' : named) : COMPRESS_KINDS.find(([pattern]) => pattern.test(written ?? '.tar.gz'))?.[1] ?? 'tar.gz';
  if (kind !== 'tar.gz' && kind !== 'gz') {
    t.problem((format ?? output ?? block).pos, `compress post-processor: kiln writes tar.gz, gz or zst, not ${kind}: write format "tar.gz" or "gz", or name the output *.tar.gz`);
    return;
  }
  t.set([...at, 'format'], kind, (format ?? output ?? block).pos);
  if (written === undefined) {
    t.note(block.pos, 'compress post-processor: no output: Packer writes packer_{{.BuildName}}_{{.BuilderType}} where it runs, kiln writes NAME.tar.gz into the output directory');
    return;
  }
  const file = written.split('/').at(-1) ?? written;
  if (kind === 'gz') {
    t.note(output!.pos, 'output is ignored: kiln gzips each exported file beside itself (FILE.gz) in the output directory');
  } else if (file.includes('{{') || !/\.(tar\.gz|tgz)$/.test(file)) {
    t.note(output!.pos, `output is ignored: kiln names the archive NAME.tar.gz, not ${JSON.stringify(written)}`);
  } else {
    t.set([...at, 'output'], file, output!.pos);
    if (file !== written) t.note(output!.pos, `output: kiln writes ${file} into the output directory, not where Packer runs`);
  }
}

function shellLocal(t: Translator, block: PluginConfig, at: Segment[]): void {
  // A single `command` is an inline script of one line.
  const inline = settingOf(block, 'inline') ?? settingOf(block, 'command');
  const scripts = settingOf(block, 'scripts');
  if (settingOf(block, 'inline') && settingOf(block, 'command')) t.problem(settingOf(block, 'command')!.pos, 'command: give either command or inline, not both');
  for (const [key, setting] of [['inline', inline], ['scripts', scripts]] as const) {
    const list = setting && readStringList(t, key, setting);
    if (list) t.set([...at, key], list, setting.pos);
  }
  const environment = blockEnvironment(t, block);
  if (environment && Object.keys(environment.env).length) t.set([...at, 'env'], environment.env, environment.pos);
}

/** One post-processor in kiln's list, or false when kiln has no such step. */
function listed(t: Translator, block: PluginConfig, index: number): boolean {
  const tables: Record<string, KeyTable> = { checksum: CHECKSUM_KEYS, manifest: MANIFEST_KEYS, 'shell-local': SHELL_LOCAL_KEYS, compress: COMPRESS_KEYS };
  const table = Object.hasOwn(tables, block.type) ? tables[block.type] : undefined;
  if (!table) return false;
  const at = ['post_process', index, block.type];
  t.set(at, {}, block.pos);
  applyTable(t, block, table, `${block.type} post-processor`, at);
  // Packer's checksum post-processor writes md5 when it is not told otherwise.
  if (block.type === 'checksum' && !settingOf(block, 'checksum_types')) t.set([...at, 'types'], ['md5'], block.pos);
  if (block.type === 'shell-local') shellLocal(t, block, at);
  if (block.type === 'compress') compress(t, block, at);
  return true;
}

function vagrant(t: Translator, block: PluginConfig): void {
  if (t.get(['output', 'vagrant']) !== undefined) {
    t.problem(block.pos, `${blockName(block, 'post-processor')}: kiln makes one Vagrant box per build: remove the second vagrant post-processor`);
    return;
  }
  const at = ['output', 'vagrant'];
  const provider = VAGRANT_PROVIDER[t.build.source.type] ?? 'libvirt';
  t.set([...at, 'provider'], provider, block.pos);
  const settings = withProviderOverride(t, block, provider);
  applyTable(t, settings, VAGRANT_KEYS, 'vagrant post-processor', at);
  if (!settingOf(settings, 'output')) {
    t.note(block.pos, `no output: Packer writes packer_{{ .BuildName }}_{{ .Provider }}_{{ .Architecture }}.box where it runs, kiln writes NAME.${provider}.box into the output directory`);
  }
}

export function translatePostProcessors(t: Translator, chains: PluginConfig[][]): void {
  let index = 0;
  for (const chain of chains) {
    chain.forEach((block, position) => {
      const name = blockName(block, 'post-processor');
      if (block.type === 'vagrant' && position > 0) {
        t.problem(block.pos, `${name}: kiln makes the box from the build's image, not from another post-processor's output: put vagrant first in its chain`);
      } else if (block.type === 'vagrant') vagrant(t, block);
      else if (listed(t, block, index)) {
        index++;
        // Packer hands a chained post-processor the previous one's output only.
        if (position > 0) t.note(block.pos, `${name} is chained: kiln runs it on every file the build exported (a box included), not only on the previous post-processor's output`);
      } else if (block.type === 'vagrant-cloud') t.problem(block.pos, `${name}: kiln does not upload boxes: remove it, and add the box to a catalog with kiln publish`);
      else t.problem(block.pos, `${name}: kiln runs checksum, compress, manifest, shell-local and vagrant post-processors only`);
    });
  }
}
