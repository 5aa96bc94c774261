// iso_url / iso_urls / iso_checksum (and qemu's disk_image) -> source.iso or source.disk.
import { algorithmFromHexLength } from '../../source/checksum-spec.js';
import type { PluginConfig, SourcePos } from '../model.js';
import { noted, readElsewhere, refused, settingOf, type KeyTable } from './key-table.js';
import type { Translator } from './translator.js';
import { readBoolean, readString, readStringList } from './values.js';

export const SOURCE_FILE_KEYS: KeyTable = {
  iso_url: readElsewhere,
  iso_urls: readElsewhere,
  iso_checksum: readElsewhere,
  iso_target_path: noted('kiln keeps downloads in its own cache, keyed by checksum'),
  iso_target_extension: noted('kiln keeps downloads in its own cache, keyed by checksum'),
  iso_checksum_type: refused('removed in Packer 1.6: give the type in iso_checksum ("sha256:<hex>")'),
  iso_checksum_url: refused('removed in Packer 1.6: write iso_checksum = "file:<url>"'),
};

/** The source keys only the qemu builder has. */
export const QEMU_SOURCE_FILE_KEYS: KeyTable = {
  disk_image: readElsewhere,
  use_backing_file: readElsewhere,
  iso_skip_cache: readElsewhere,
  skip_resize_disk: refused('kiln always grows a disk image to machine.disk: remove it, or set disk_size to the image\'s size'),
};

/** Packer's iso_checksum in kiln's spelling, or a message saying why it is none. */
export function kilnChecksum(written: string): { checksum: string } | { error: string } {
  const value = written.trim();
  if (value.toLowerCase() === 'none') return { checksum: 'none' };
  const colon = value.indexOf(':');
  if (colon > 0) {
    const kind = value.slice(0, colon).toLowerCase();
    const rest = value.slice(colon + 1);
    if (kind === 'file') return { checksum: `file:${rest}` };
    if (['md5', 'sha1', 'sha256', 'sha512'].includes(kind)) return { checksum: `${kind}:${rest.trim().toLowerCase()}` };
    return { error: `checksum type "${kind}" is not one kiln checks: use md5, sha1, sha256, sha512, file or none` };
  }
  // Packer infers the type of a bare digest from its length.
  const algorithm = /^[0-9a-fA-F]+$/.test(value) ? algorithmFromHexLength(value.length) : undefined;
  if (algorithm) return { checksum: `${algorithm}:${value.toLowerCase()}` };
  return { error: `${JSON.stringify(value)} is not a checksum: write sha256:<hex>, a bare hex digest, file:<url> or none` };
}

/** A boolean setting of a qemu source; other builders report it as an unknown key. */
function qemuFlag(t: Translator, source: PluginConfig, key: string): { value: boolean; pos: SourcePos } | undefined {
  const setting = source.type === 'qemu' ? settingOf(source, key) : undefined;
  const value = setting && readBoolean(t, key, setting);
  return value === undefined ? undefined : { value, pos: setting!.pos };
}

export function translateSourceFile(t: Translator, source: PluginConfig): void {
  const url = settingOf(source, 'iso_url');
  const urls = settingOf(source, 'iso_urls');
  const checksumSetting = settingOf(source, 'iso_checksum');
  const isDisk = qemuFlag(t, source, 'disk_image')?.value === true;
  const kind = isDisk ? 'disk' : 'iso';
  const skipCache = qemuFlag(t, source, 'iso_skip_cache');

  if (url && urls) t.problem(urls.pos, 'iso_urls: give either iso_url or iso_urls, not both (Packer refuses both too)');
  const located = urls ?? url;
  if (!located) t.problem(source.pos, `${source.type} source: iso_url or iso_urls is required`);
  else {
    const list = readStringList(t, urls ? 'iso_urls' : 'iso_url', located);
    if (list && list.length === 1) t.set(['source', kind, 'url'], list[0], located.pos);
    else if (list) t.set(['source', kind, 'urls'], list, located.pos);
  }

  if (skipCache?.value) {
    // Packer then uses the file where it is, unchecked.
    t.set(['source', kind, 'checksum'], 'none', skipCache.pos);
    t.note(skipCache.pos, 'iso_skip_cache: the source is not checked (checksum none), as in Packer, but kiln still copies it into its cache');
  } else if (!checksumSetting) t.problem(source.pos, `${source.type} source: iso_checksum is required (sha256:<hex>, file:<url> or none)`);
  else {
    const written = readString(t, 'iso_checksum', checksumSetting);
    const result = written === undefined ? undefined : kilnChecksum(written);
    if (result && 'error' in result) t.problem(checksumSetting.pos, `iso_checksum: ${result.error}`);
    else if (result) t.set(['source', kind, 'checksum'], result.checksum, checksumSetting.pos);
  }

  const backing = qemuFlag(t, source, 'use_backing_file');
  if (backing && isDisk) t.set(['source', 'disk', 'backing'], backing.value, backing.pos);
  else if (backing?.value) t.problem(backing.pos, 'use_backing_file: needs disk_image = true (Packer refuses it without)');
}
