// Where uploads land, with Packer's file-provisioner rules so templates port unchanged:
//   source dir  "files/etc"  -> destination "/opt"  : creates /opt/etc and uploads into it
//   source dir  "files/etc/" -> destination "/opt"  : uploads the contents of etc into /opt
//   source file "motd"       -> destination "/etc/" : /etc/motd (a trailing slash names a directory)
//   source file "motd"       -> destination "/etc/motd.d/banner" : exactly that path

import { basename, posix, resolve } from 'node:path';

const endsWithSeparator = (path: string) => path.endsWith('/') || path.endsWith('\\');

/** The remote directory that receives the files inside `localDir`. */
export function directoryUploadRoot(localDir: string, remoteDir: string): string {
  if (endsWithSeparator(localDir)) return remoteDir;
  // resolve() so that "files/." or ".." still name the directory itself.
  return posix.join(remoteDir, basename(resolve(localDir)));
}

/** The remote path a single local file is written to. */
export function fileUploadTarget(localPath: string, remoteDest: string): string {
  return remoteDest.endsWith('/') ? posix.join(remoteDest, basename(localPath)) : remoteDest;
}
