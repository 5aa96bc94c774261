// A small ISO 9660 writer for flat volumes (files in the root directory only), for
// the NoCloud CIDATA seed when neither xorriso nor genisoimage is installed. Pure:
// files in, image bytes out.
//
// Names: the primary directory holds "USER-DATA.;1"-style names (upper case, the
// characters A-Z 0-9 _ - and one dot, at most 30), which Linux shows lower-cased
// without the ";1" ("user-data") even where Joliet is not read; the Joliet directory
// holds the exact names in UCS-2, which Linux, Windows and macOS prefer when present.
import { KilnError } from '../errors.js';
import {
  SECTOR,
  directoryRecord,
  rootPathTableRecord,
  terminator,
  ucs2be,
  volumeDescriptor,
  type DirectoryRecord,
} from './iso9660-records.js';

export interface IsoFile {
  name: string;
  data: Uint8Array;
}

export interface IsoOptions {
  /** Up to 32 characters A-Z 0-9 _ (e.g. CIDATA; cloud-init matches it in any case). */
  volumeId: string;
  /** Add a Joliet directory with the exact names (default true). */
  joliet?: boolean;
  /** Recorded as the creation time of the volume and of each file (default now). */
  date?: Date;
  applicationId?: string;
}

/** Longest name kept (ISO 9660 level 2 allows 30 characters plus ";1"; Joliet 64). */
export const MAX_NAME = 30;
const NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?$/;

/** The primary directory's identifier for a file name: "user-data" -> "USER-DATA.;1". */
export function primaryName(name: string): string {
  const upper = name.toUpperCase();
  return `${upper.includes('.') ? upper : `${upper}.`};1`;
}

export function checkIsoFiles(files: readonly IsoFile[]): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    if (!NAME.test(name) || name.length > MAX_NAME) {
      throw new KilnError('E_TOOL', `cannot put ${JSON.stringify(name)} on the ISO 9660 volume: names are letters, digits, "_", "-" and one ".", at most ${MAX_NAME} characters`, {
        hint: 'rename the file; the NoCloud seed only needs user-data, meta-data, network-config and vendor-data',
      });
    }
    const key = name.toUpperCase();
    if (seen.has(key)) throw new KilnError('E_TOOL', `two files named ${JSON.stringify(name)} (names differing only in case) cannot share an ISO 9660 volume`);
    seen.add(key);
  }
}

/** Lays out: system area (16 sectors), volume descriptors, path tables, root directories, file data. */
export function buildIso9660(input: readonly IsoFile[], options: IsoOptions): Buffer {
  checkIsoFiles(input);
  if (!/^[A-Z0-9_]{1,32}$/.test(options.volumeId)) {
    throw new KilnError('E_TOOL', `${JSON.stringify(options.volumeId)} is not an ISO 9660 volume identifier: 1 to 32 of A-Z 0-9 _`);
  }
  const joliet = options.joliet ?? true;
  const date = options.date ?? new Date();
  // Directory records are sorted by their identifier bytes (ECMA-119 9.3).
  const files = [...input].sort((a, b) => Buffer.compare(Buffer.from(primaryName(a.name), 'latin1'), Buffer.from(primaryName(b.name), 'latin1')));
  const jolietFiles = [...input].sort((a, b) => Buffer.compare(ucs2be(a.name), ucs2be(b.name)));

  // Sector numbers, in order of appearance.
  let next = 16;
  const pvdAt = next++;
  const svdAt = joliet ? next++ : 0;
  const terminatorAt = next++;
  const pathL = next++;
  const pathM = next++;
  const jPathL = joliet ? next++ : 0;
  const jPathM = joliet ? next++ : 0;
  const identifiers = files.map((f) => Buffer.from(primaryName(f.name), 'latin1'));
  const jIdentifiers = jolietFiles.map((f) => ucs2be(f.name));
  const rootSectors = directorySectors(identifiers);
  const jRootSectors = joliet ? directorySectors(jIdentifiers) : 0;
  const rootAt = next;
  next += rootSectors;
  const jRootAt = next;
  next += jRootSectors;
  const extents = new Map<IsoFile, number>();
  for (const file of files) {
    // An empty file has no data; it points at sector 0 as mkisofs does.
    extents.set(file, file.data.length === 0 ? 0 : next);
    next += Math.ceil(file.data.length / SECTOR);
  }
  const total = next;

  const image = Buffer.alloc(total * SECTOR);
  const at = (sector: number, bytes: Buffer) => bytes.copy(image, sector * SECTOR);
  const root = (extent: number, sectors: number): DirectoryRecord => ({ extent, size: sectors * SECTOR, date, directory: true, identifier: Buffer.alloc(0) });
  const descriptor = (u: boolean) =>
    volumeDescriptor({
      joliet: u,
      systemId: 'LINUX',
      volumeId: options.volumeId,
      applicationId: options.applicationId ?? 'KILN',
      volumeSectors: total,
      pathTableSize: 10,
      pathTableL: u ? jPathL : pathL,
      pathTableM: u ? jPathM : pathM,
      root: u ? root(jRootAt, jRootSectors) : root(rootAt, rootSectors),
      date,
    });
  at(pvdAt, descriptor(false));
  if (joliet) at(svdAt, descriptor(true));
  at(terminatorAt, terminator());
  at(pathL, rootPathTableRecord(rootAt, false));
  at(pathM, rootPathTableRecord(rootAt, true));
  if (joliet) {
    at(jPathL, rootPathTableRecord(jRootAt, false));
    at(jPathM, rootPathTableRecord(jRootAt, true));
  }
  const records = (list: IsoFile[], ids: Buffer[], self: DirectoryRecord) => [
    directoryRecord({ ...self, identifier: Buffer.from([0]) }),
    directoryRecord({ ...self, identifier: Buffer.from([1]) }), // the root's parent is itself
    ...list.map((f, i) => directoryRecord({ extent: extents.get(f)!, size: f.data.length, date, directory: false, identifier: ids[i]! })),
  ];
  writeDirectory(image, rootAt, records(files, identifiers, root(rootAt, rootSectors)));
  if (joliet) writeDirectory(image, jRootAt, records(jolietFiles, jIdentifiers, root(jRootAt, jRootSectors)));
  for (const file of files) if (file.data.length > 0) image.set(file.data, extents.get(file)! * SECTOR);
  return image;
}

/** Sectors a directory with these file identifiers takes (records never cross a sector boundary). */
export function directorySectors(identifiers: readonly Buffer[]): number {
  const lengths = [34, 34, ...identifiers.map((id) => 33 + id.length + (id.length % 2 === 0 ? 1 : 0))];
  let sectors = 1;
  let used = 0;
  for (const length of lengths) {
    if (used + length > SECTOR) {
      sectors++;
      used = 0;
    }
    used += length;
  }
  return sectors;
}

function writeDirectory(image: Buffer, sector: number, records: Buffer[]): void {
  let offset = sector * SECTOR;
  for (const record of records) {
    // A record that does not fit in the rest of the sector starts the next one (ECMA-119 6.8.1.1).
    const left = SECTOR - (offset % SECTOR);
    if (record.length > left) offset += left;
    record.copy(image, offset);
    offset += record.length;
  }
}
