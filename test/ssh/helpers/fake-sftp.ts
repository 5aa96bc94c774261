// The server side of SFTP for tests, backed by the host filesystem: relative paths are
// resolved against the fake user's home directory, absolute paths are used as they are,
// inside `root` when one is given (a simulated guest's tree).
// It answers what kiln's uploads and downloads use and records each request in `log`.

import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import ssh2 from 'ssh2';
import type { Attributes, SFTPWrapper } from 'ssh2';

const { STATUS_CODE, flagsToString } = ssh2.utils.sftp;

const statusFor = (error: unknown): number => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM') return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
};

const toAttrs = (s: fs.Stats): Attributes => ({
  mode: s.mode,
  uid: s.uid,
  gid: s.gid,
  size: s.size,
  atime: Math.floor(s.atimeMs / 1000),
  mtime: Math.floor(s.mtimeMs / 1000),
});

export function serveSftp(sftp: SFTPWrapper, home: string, log: string[], root?: string): void {
  const handles = new Map<number, number>();
  // A directory handle lists its entries on the first READDIR and answers EOF after.
  const listings = new Map<number, fs.Dirent[] | undefined>();
  let nextHandle = 1;
  const at = (path: string) => (root ? join(root, resolve(home, path)) : resolve(home, path));
  const fdOf = (handle: Buffer) => handles.get(handle.readUInt32BE(0));

  // Runs one request; a thrown fs error becomes the matching SFTP status.
  const answer = (reqid: number, record: string, run: () => void) => {
    log.push(record);
    try {
      run();
    } catch (error) {
      sftp.status(reqid, statusFor(error), (error as Error).message);
    }
  };
  const ok = (reqid: number) => sftp.status(reqid, STATUS_CODE.OK);

  sftp.on('OPEN', (reqid, filename, flags, attrs) =>
    answer(reqid, `OPEN ${at(filename)}`, () => {
      const fd = fs.openSync(at(filename), flagsToString(flags) ?? 'r', attrs.mode ?? 0o666);
      const handle = Buffer.alloc(4);
      handle.writeUInt32BE(nextHandle);
      handles.set(nextHandle++, fd);
      sftp.handle(reqid, handle);
    }),
  );
  sftp.on('WRITE', (reqid, handle, offset, data) =>
    answer(reqid, `WRITE ${data.length}`, () => {
      fs.writeSync(fdOf(handle)!, data, 0, data.length, offset);
      ok(reqid);
    }),
  );
  sftp.on('CLOSE', (reqid, handle) =>
    answer(reqid, 'CLOSE', () => {
      if (listings.delete(handle.readUInt32BE(0))) return ok(reqid);
      fs.closeSync(fdOf(handle)!);
      handles.delete(handle.readUInt32BE(0));
      ok(reqid);
    }),
  );
  sftp.on('FSETSTAT', (reqid, handle, attrs) =>
    answer(reqid, `FSETSTAT ${attrs.mode?.toString(8)}`, () => {
      if (attrs.mode !== undefined) fs.fchmodSync(fdOf(handle)!, attrs.mode);
      ok(reqid);
    }),
  );
  sftp.on('SETSTAT', (reqid, path, attrs) =>
    answer(reqid, `SETSTAT ${at(path)} ${attrs.mode?.toString(8)}`, () => {
      if (attrs.mode !== undefined) fs.chmodSync(at(path), attrs.mode);
      ok(reqid);
    }),
  );
  for (const event of ['STAT', 'LSTAT'] as const) {
    sftp.on(event, (reqid: number, path: string) =>
      answer(reqid, `${event} ${at(path)}`, () => {
        sftp.attrs(reqid, toAttrs(event === 'STAT' ? fs.statSync(at(path)) : fs.lstatSync(at(path))));
      }),
    );
  }
  sftp.on('FSTAT', (reqid, handle) => answer(reqid, 'FSTAT', () => sftp.attrs(reqid, toAttrs(fs.fstatSync(fdOf(handle)!)))));
  sftp.on('MKDIR', (reqid, path, attrs) =>
    answer(reqid, `MKDIR ${at(path)}`, () => {
      fs.mkdirSync(at(path), { mode: attrs.mode ?? 0o777 });
      ok(reqid);
    }),
  );
  sftp.on('REMOVE', (reqid, path) =>
    answer(reqid, `REMOVE ${at(path)}`, () => {
      fs.unlinkSync(at(path));
      ok(reqid);
    }),
  );
  sftp.on('REALPATH', (reqid, path) =>
    answer(reqid, `REALPATH ${path}`, () => sftp.name(reqid, [{ filename: resolve(home, path), longname: resolve(home, path), attrs: {} as Attributes }])),
  );
  sftp.on('READ', (reqid, handle, offset, length) =>
    answer(reqid, `READ ${length}`, () => {
      const buffer = Buffer.alloc(length);
      const read = fs.readSync(fdOf(handle)!, buffer, 0, length, offset);
      if (read === 0) sftp.status(reqid, STATUS_CODE.EOF);
      else sftp.data(reqid, buffer.subarray(0, read));
    }),
  );
  sftp.on('OPENDIR', (reqid, path) =>
    answer(reqid, `OPENDIR ${at(path)}`, () => {
      const entries = fs.readdirSync(at(path), { withFileTypes: true });
      const handle = Buffer.alloc(4);
      handle.writeUInt32BE(nextHandle);
      listings.set(nextHandle++, entries);
      sftp.handle(reqid, handle);
    }),
  );
  sftp.on('READDIR', (reqid, handle) =>
    answer(reqid, 'READDIR', () => {
      const id = handle.readUInt32BE(0);
      const entries = listings.get(id);
      listings.set(id, undefined);
      if (!entries) return void sftp.status(reqid, STATUS_CODE.EOF);
      sftp.name(reqid, entries.map((e) => {
        const path = join(e.parentPath, e.name);
        return { filename: e.name, longname: e.name, attrs: toAttrs(fs.lstatSync(path)) };
      }));
    }),
  );
  sftp.on('close', () => {
    for (const fd of handles.values()) fs.closeSync(fd);
    handles.clear();
  });
}
