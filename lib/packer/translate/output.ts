// vm_name, output_directory and format -> name and output.
// Packer's defaults that change the result (the output folder, the image's name) are
// written out, so the kiln build puts its files where the Packer build did.
import type { PackerBuild, PluginConfig } from '../model.js';
import { readElsewhere, settingOf, stringTo, type KeyHandler, type KeyTable } from './key-table.js';
import type { Translator } from './translator.js';
import { readString } from './values.js';

/** format, for a builder that writes one of `allowed`. */
export const formatOneOf =
  (allowed: readonly string[]): KeyHandler =>
  (t, setting, key) => {
    const format = readString(t, key, setting);
    if (format === undefined) return;
    if (!allowed.includes(format)) {
      t.problem(setting.pos, `${key}: ${JSON.stringify(format)} is not a format of this builder: use ${allowed.join(' or ')}`);
      return;
    }
    t.set(['output', 'formats'], [format], setting.pos);
  };

export const OUTPUT_KEYS: KeyTable = {
  vm_name: readElsewhere,
  output_directory: stringTo('output', 'directory'),
};

/**
 * The name Packer gives the builder and provisioners (packer_build_name): PACKER_BUILD_NAME
 * and the default output-NAME and packer-NAME. HCL2 passes the source's label ("vm" for
 * build.name "qemu.vm"), legacy JSON the builder's name or type, which is build.name there.
 */
export const packerBuildName = (build: PackerBuild): string => build.source.name ?? build.name;

/** vm_name as a kiln name: lowercase, other characters as "-", the image extension dropped. */
export function kilnName(vmName: string): string {
  const lowered = vmName.toLowerCase().replace(/\.(qcow2|img|raw|vdi|vmdk|ova)$/, '');
  return lowered.replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'packer';
}

export function translateOutput(t: Translator, build: PackerBuild, source: PluginConfig): void {
  const vmName = settingOf(source, 'vm_name');
  const written = vmName ? readString(t, 'vm_name', vmName) : undefined;
  const name = written ?? `packer-${packerBuildName(build)}`;
  const pos = vmName?.pos ?? source.pos;
  const kiln = kilnName(name);
  if (kiln !== name) {
    const what = vmName ? 'vm_name' : 'the default vm_name';
    t.note(pos, `${what} ${JSON.stringify(name)} becomes the kiln name ${JSON.stringify(kiln)} (lowercase letters, digits, ".", "_", "-"); output files are named after it`);
  }
  t.set(['name'], kiln, pos);
  if (!settingOf(source, 'output_directory')) t.set(['output', 'directory'], `output-${packerBuildName(build)}`, source.pos);
}
