// Which upstream URL a guest's request asks for. Pure.
//
// A guest that uses kiln as its proxy sends absolute-form requests ("GET http://host/path").
// https mirrors are reached through plain http in apt-cacher-ng's form, so that their
// files can be cached too: "http://HTTPS///host/path" as a URL (with kiln as the proxy),
// or "http://PROXY/HTTPS///host/path" (kiln named as the mirror itself).

export type GuestTarget = { ok: true; url: string; remapped: boolean } | { ok: false; reason: string };

const REMAP = /^\/HTTPS\/\/\/(.+)$/i;

export function upstreamUrlFor(requestTarget: string): GuestTarget {
  if (requestTarget.startsWith('/')) {
    const remap = REMAP.exec(requestTarget);
    if (remap) return remapped(remap[1]!);
    return { ok: false, reason: `${requestTarget} is not a proxy request: set kiln's package cache as the proxy, or name an https mirror as /HTTPS///host/path` };
  }
  let url: URL;
  try {
    url = new URL(requestTarget);
  } catch {
    return { ok: false, reason: `${requestTarget} is not a URL` };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: `${url.protocol}// is not cached: the guest reaches https:// mirrors as http://HTTPS///host/path` };
  // "http://HTTPS///host/path" parses as host "https", path "//host/path".
  if (url.hostname === 'https' && url.pathname.startsWith('//')) return remapped(`${url.pathname.slice(2).replace(/^\/+/, '')}${url.search}`);
  const inPath = REMAP.exec(`${url.pathname}${url.search}`);
  if (inPath) return remapped(inPath[1]!);
  url.hash = '';
  return { ok: true, url: url.href, remapped: false };
}

function remapped(rest: string): GuestTarget {
  try {
    return { ok: true, url: new URL(`https://${rest}`).href, remapped: true };
  } catch {
    return { ok: false, reason: `https://${rest} is not a URL` };
  }
}
