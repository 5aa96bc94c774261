// The byte layouts of ISO 9660 (ECMA-119) that a flat, one-directory volume needs:
// volume descriptors, directory records and path table records. Pure; iso9660.ts
// arranges them into an image. Field offsets are ECMA-119's, named where they are used.

export const SECTOR = 2048;

/** ECMA-119 writes most numbers twice: little-endian, then big-endian ("both-byte order"). */
export function bothEndian32(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(value, 0);
  b.writeUInt32BE(value, 4);
  return b;
}

export function bothEndian16(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(value, 0);
  b.writeUInt16BE(value, 2);
  return b;
}

/** Text in an identifier field: ASCII padded with spaces (primary) or UCS-2BE padded with UCS-2 spaces (Joliet). */
export function padText(text: string, length: number, ucs2: boolean): Buffer {
  const b = Buffer.alloc(length);
  if (ucs2) {
    for (let i = 0; i + 1 < length; i += 2) b.writeUInt16BE(0x20, i);
    const encoded = ucs2be(text);
    encoded.copy(b, 0, 0, Math.min(encoded.length, length - (length % 2)));
  } else {
    b.fill(0x20);
    b.write(text, 0, length, 'latin1');
  }
  return b;
}

export function ucs2be(text: string): Buffer {
  const b = Buffer.alloc(text.length * 2);
  for (let i = 0; i < text.length; i++) b.writeUInt16BE(text.charCodeAt(i), i * 2);
  return b;
}

/** 7-byte date of a directory record: years since 1900, month, day, hour, minute, second, GMT offset (UTC here). */
export function recordDate(date: Date): Buffer {
  return Buffer.from([
    date.getUTCFullYear() - 1900,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0,
  ]);
}

/** 17-byte date of a volume descriptor: "YYYYMMDDHHMMSScc" in ASCII digits, then the GMT offset. Undefined: "not specified". */
export function descriptorDate(date: Date | undefined): Buffer {
  const b = Buffer.alloc(17);
  if (!date) {
    b.write('0000000000000000', 0, 'latin1');
    return b;
  }
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    two(Math.floor(date.getUTCMilliseconds() / 10));
  b.write(text, 0, 'latin1');
  return b;
}

export interface DirectoryRecord {
  /** Logical block (sector) where the extent starts. */
  extent: number;
  /** Bytes in the extent. */
  size: number;
  date: Date;
  directory: boolean;
  /** The file identifier bytes: 0x00 for ".", 0x01 for "..", else the encoded name. */
  identifier: Buffer;
}

/** ECMA-119 9.1: 33 bytes + identifier, padded to an even length. */
export function directoryRecord(r: DirectoryRecord): Buffer {
  const length = 33 + r.identifier.length + (r.identifier.length % 2 === 0 ? 1 : 0);
  const b = Buffer.alloc(length);
  b[0] = length; // BP 1: length of directory record
  b[1] = 0; // BP 2: extended attribute record length
  bothEndian32(r.extent).copy(b, 2); // BP 3-10: location of extent
  bothEndian32(r.size).copy(b, 10); // BP 11-18: data length
  recordDate(r.date).copy(b, 18); // BP 19-25: recording date and time
  b[25] = r.directory ? 0x02 : 0x00; // BP 26: file flags
  b[26] = 0; // BP 27: file unit size (not interleaved)
  b[27] = 0; // BP 28: interleave gap size
  bothEndian16(1).copy(b, 28); // BP 29-32: volume sequence number
  b[32] = r.identifier.length; // BP 33: length of file identifier
  r.identifier.copy(b, 33); // BP 34-: file identifier (+ padding byte when its length is even)
  return b;
}

/** ECMA-119 9.4: a path table record for the root directory, the only one a flat volume has. */
export function rootPathTableRecord(extent: number, bigEndian: boolean): Buffer {
  const b = Buffer.alloc(10);
  b[0] = 1; // length of directory identifier
  b[1] = 0; // extended attribute record length
  if (bigEndian) b.writeUInt32BE(extent, 2);
  else b.writeUInt32LE(extent, 2);
  if (bigEndian) b.writeUInt16BE(1, 6); // parent directory number (the root is its own parent)
  else b.writeUInt16LE(1, 6);
  b[8] = 0; // the root's identifier is a single 0x00, padded to an even length
  return b;
}

export interface VolumeDescriptorInput {
  /** Primary (type 1), or Joliet's supplementary descriptor (type 2, UCS-2 names). */
  joliet: boolean;
  systemId: string;
  volumeId: string;
  applicationId: string;
  /** Sectors in the whole volume. */
  volumeSectors: number;
  pathTableSize: number;
  /** Sectors of the little- and big-endian path tables. */
  pathTableL: number;
  pathTableM: number;
  /** The root directory's "." record. */
  root: DirectoryRecord;
  date: Date;
}

/** ECMA-119 8.4 (primary) and 8.5 (supplementary, here Joliet level 3): one sector. */
export function volumeDescriptor(v: VolumeDescriptorInput): Buffer {
  const b = Buffer.alloc(SECTOR);
  const u = v.joliet;
  b[0] = u ? 2 : 1; // BP 1: volume descriptor type
  b.write('CD001', 1, 'latin1'); // BP 2-6: standard identifier
  b[6] = 1; // BP 7: volume descriptor version
  padText(v.systemId, 32, u).copy(b, 8); // BP 9-40: system identifier
  padText(v.volumeId, 32, u).copy(b, 40); // BP 41-72: volume identifier
  bothEndian32(v.volumeSectors).copy(b, 80); // BP 81-88: volume space size
  if (u) b.write('%/E', 88, 'latin1'); // BP 89-120: escape sequences (Joliet UCS-2 level 3)
  bothEndian16(1).copy(b, 120); // BP 121-124: volume set size
  bothEndian16(1).copy(b, 124); // BP 125-128: volume sequence number
  bothEndian16(SECTOR).copy(b, 128); // BP 129-132: logical block size
  bothEndian32(v.pathTableSize).copy(b, 132); // BP 133-140: path table size
  b.writeUInt32LE(v.pathTableL, 140); // BP 141-144: type L path table
  b.writeUInt32BE(v.pathTableM, 148); // BP 149-152: type M path table
  directoryRecord({ ...v.root, identifier: Buffer.from([0]) }).copy(b, 156); // BP 157-190: root directory record
  padText('', 128, u).copy(b, 190); // BP 191-318: volume set identifier
  padText('', 128, u).copy(b, 318); // BP 319-446: publisher identifier
  padText('', 128, u).copy(b, 446); // BP 447-574: data preparer identifier
  padText(v.applicationId, 128, u).copy(b, 574); // BP 575-702: application identifier
  padText('', 37, u).copy(b, 702); // BP 703-739: copyright file identifier
  padText('', 37, u).copy(b, 739); // BP 740-776: abstract file identifier
  padText('', 37, u).copy(b, 776); // BP 777-813: bibliographic file identifier
  descriptorDate(v.date).copy(b, 813); // BP 814-830: volume creation date and time
  descriptorDate(v.date).copy(b, 830); // BP 831-847: volume modification date and time
  descriptorDate(undefined).copy(b, 847); // BP 848-864: volume expiration date and time
  descriptorDate(undefined).copy(b, 864); // BP 865-881: volume effective date and time
  b[881] = 1; // BP 882: file structure version
  return b;
}

/** ECMA-119 8.3: the volume descriptor set terminator. */
export function terminator(): Buffer {
  const b = Buffer.alloc(SECTOR);
  b[0] = 255;
  b.write('CD001', 1, 'latin1');
  b[6] = 1;
  return b;
}
