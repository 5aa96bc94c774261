// cd_* and floppy_* -> cd and floppy: extra media kiln makes and attaches.
import type { KeyHandler, KeyTable } from './key-table.js';
import { readString, readStringList, readStringMap } from './values.js';

const label =
  (medium: 'cd' | 'floppy'): KeyHandler =>
  (t, setting, key) => {
    const value = readString(t, key, setting);
    if (value !== undefined) t.set([medium, 'label'], value, setting.pos);
  };

const content =
  (medium: 'cd' | 'floppy'): KeyHandler =>
  (t, setting, key) => {
    const value = readStringMap(t, key, setting);
    if (value) t.set([medium, 'content'], value, setting.pos);
  };

/** floppy_files and floppy_dirs both land in floppy.files (a directory is copied with its contents, as Packer does). */
const files =
  (medium: 'cd' | 'floppy'): KeyHandler =>
  (t, setting, key) => {
    const value = readStringList(t, key, setting);
    if (!value) return;
    const before = t.get([medium, 'files']);
    t.set([medium, 'files'], [...(Array.isArray(before) ? (before as string[]) : []), ...value], setting.pos);
  };

export const MEDIA_KEYS: KeyTable = {
  cd_files: files('cd'),
  cd_content: content('cd'),
  cd_label: label('cd'),
  floppy_files: files('floppy'),
  floppy_dirs: files('floppy'),
  floppy_content: content('floppy'),
  floppy_label: label('floppy'),
};
