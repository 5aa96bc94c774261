// Which URLs a package manager fetches as indexes (they change in place on the mirror:
// revalidated online, pinned offline) and which as packages (a new version gets a new
// file name: immutable once fetched). Pure.
//
// Debian's dists/ tree is indexes throughout, except by-hash/ files, which are named by
// their digest. dnf's repodata/ files other than repomd.xml are named by digest too.

const INDEX_NAME =
  /^(?:InRelease|Release(?:\.gpg)?|(?:Packages|Sources|Contents-[^/]+|Translation-[^/]+|Components-[^/]+|Commands-[^/]+)(?:\.(?:gz|xz|bz2|lzma|zst))?|repomd\.xml(?:\.asc|\.key)?|APKINDEX\.tar\.gz|metalink|mirrorlist)$/;

export function isIndexFile(url: string): boolean {
  const { pathname } = new URL(url);
  if (pathname.includes('/by-hash/')) return false;
  if (pathname.includes('/dists/')) return true;
  const name = pathname.slice(pathname.lastIndexOf('/') + 1);
  return INDEX_NAME.test(name);
}
