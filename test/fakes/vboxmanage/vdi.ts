// Real VDI images for the fake's disks, so that what kiln does with a VirtualBox disk
// after the build (qemu-img convert -f vdi) runs on a genuine image. A dynamic VDI
// (VirtualBox's "Standard" variant) is a 512-byte header, a map from virtual 1 MiB
// blocks to their place in the file (0xffffffff: unallocated, reads as zeros), then
// the allocated blocks in the order they were first written. Layout as in VirtualBox's
// VDICore.h and QEMU's block/vdi.c.

import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const HEADER_BYTES = 0x200;
const BLOCK = 1 << 20;
const UNALLOCATED = 0xffffffff;
const TEXT = '<<< Oracle VM VirtualBox Disk Image >>>\n';

// Field offsets in the header (VDIHEADER1PLUS after the 64-byte pre-header text).
const AT = {
  signature: 0x40,
  version: 0x44,
  headerSize: 0x48,
  imageType: 0x4c,
  offsetBlocks: 0x154,
  offsetData: 0x158,
  sectorSize: 0x168,
  diskSize: 0x170,
  blockSize: 0x178,
  blocksInImage: 0x180,
  blocksAllocated: 0x184,
  uuidImage: 0x188,
  uuidLastModify: 0x198,
} as const;

/** Writes an empty dynamic VDI of `bytes` (rounded up to whole MiB blocks). */
export function createVdi(path: string, bytes: number): void {
  const blocks = Math.ceil(bytes / BLOCK);
  const mapBytes = Math.ceil((blocks * 4) / 512) * 512;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(TEXT, 0, 'latin1');
  header.writeUInt32LE(0xbeda107f, AT.signature);
  header.writeUInt32LE(0x00010001, AT.version);
  header.writeUInt32LE(0x190, AT.headerSize);
  header.writeUInt32LE(1, AT.imageType); // dynamic
  header.writeUInt32LE(HEADER_BYTES, AT.offsetBlocks);
  header.writeUInt32LE(HEADER_BYTES + mapBytes, AT.offsetData);
  header.writeUInt32LE(512, AT.sectorSize);
  header.writeBigUInt64LE(BigInt(blocks) * BigInt(BLOCK), AT.diskSize);
  header.writeUInt32LE(BLOCK, AT.blockSize);
  header.writeUInt32LE(blocks, AT.blocksInImage);
  randomBytes(16).copy(header, AT.uuidImage);
  randomBytes(16).copy(header, AT.uuidLastModify);
  const map = Buffer.alloc(mapBytes, 0xff);
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, header, 0, HEADER_BYTES, 0);
    writeSync(fd, map, 0, mapBytes, HEADER_BYTES);
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is a VDI image (by its signature). */
export function isVdi(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const signature = Buffer.alloc(4);
    return readSync(fd, signature, 0, 4, AT.signature) === 4 && signature.readUInt32LE(0) === 0xbeda107f;
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` at virtual `offset`, allocating the blocks it touches, as a guest write would. */
export function writeVdi(path: string, offset: number, data: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    readSync(fd, header, 0, HEADER_BYTES, 0);
    if (header.readUInt32LE(AT.signature) !== 0xbeda107f) throw new Error(`${path} is not a VDI image`);
    const blocks = header.readUInt32LE(AT.blocksInImage);
    const mapAt = header.readUInt32LE(AT.offsetBlocks);
    const dataAt = header.readUInt32LE(AT.offsetData);
    let allocated = header.readUInt32LE(AT.blocksAllocated);
    if (offset + data.length > blocks * BLOCK) throw new Error(`write past the end of ${path}`);
    for (let done = 0; done < data.length; ) {
      const virtual = offset + done;
      const block = Math.floor(virtual / BLOCK);
      const entry = Buffer.alloc(4);
      readSync(fd, entry, 0, 4, mapAt + block * 4);
      let slot = entry.readUInt32LE(0);
      if (slot === UNALLOCATED) {
        slot = allocated++;
        writeSync(fd, Buffer.alloc(BLOCK), 0, BLOCK, dataAt + slot * BLOCK);
        entry.writeUInt32LE(slot, 0);
        writeSync(fd, entry, 0, 4, mapAt + block * 4);
      }
      const within = virtual % BLOCK;
      const length = Math.min(BLOCK - within, data.length - done);
      writeSync(fd, data, done, length, dataAt + slot * BLOCK + within);
      done += length;
    }
    header.writeUInt32LE(allocated, AT.blocksAllocated);
    writeSync(fd, header, AT.blocksAllocated, 4, AT.blocksAllocated);
  } finally {
    closeSync(fd);
  }
}
