// A small unsigned apt repository built from scratch for tests: tiny .deb packages made
// with dpkg-deb, a flat Packages index from dpkg-scanpackages (dpkg-dev), Packages.gz
// and a Release file listing their hashes. A guest uses it with
// `deb [trusted=yes] URL ./` (a flat repository: no dists/ tree).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const exec = promisify(execFile);

export interface TinyPackage {
  name: string;
  version: string;
  /** Absolute path in the installed system -> content. */
  files: Record<string, string>;
}

/** Builds the repository in `dir` (flat: the .debs, Packages, Packages.gz, Release); returns the .deb file names. */
export async function buildAptRepo(dir: string, packages: readonly TinyPackage[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const debs: string[] = [];
  for (const p of packages) {
    const root = join(dir, '..', `${p.name}-root`);
    await mkdir(join(root, 'DEBIAN'), { recursive: true });
    await writeFile(
      join(root, 'DEBIAN', 'control'),
      `Package: ${p.name}\nVersion: ${p.version}\nArchitecture: all\nMaintainer: kiln tests <tests@kiln.invalid>\nDescription: a package for kiln's package cache tests\n`,
    );
    for (const [path, content] of Object.entries(p.files)) {
      const target = join(root, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    const deb = `${p.name}_${p.version}_all.deb`;
    await exec('dpkg-deb', ['--root-owner-group', '--build', root, join(dir, deb)]);
    debs.push(deb);
  }
  const { stdout: index } = await exec('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir });
  await writeFile(join(dir, 'Packages'), index);
  await writeFile(join(dir, 'Packages.gz'), gzipSync(index));
  const sums = await Promise.all(
    ['Packages', 'Packages.gz'].map(async (name) => {
      const bytes = await readFile(join(dir, name));
      return ` ${createHash('sha256').update(bytes).digest('hex')} ${bytes.length} ${name}`;
    }),
  );
  await writeFile(join(dir, 'Release'), `Origin: kiln-tests\nLabel: kiln-tests\nDate: ${new Date().toUTCString()}\nSHA256:\n${sums.join('\n')}\n`);
  return debs;
}
