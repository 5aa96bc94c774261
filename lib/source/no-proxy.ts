// NO_PROXY as curl reads it (CURLOPT_NOPROXY), plus the host:port form undici and Go
// accept: entries separated by commas or spaces; `*` alone matches every host; a name
// matches itself and every name below it ("example.com" and ".example.com" both match
// example.com and www.example.com, never notexample.com; "*.example.com" is read as
// ".example.com"); IP addresses match literally, or as a CIDR range ("10.0.0.0/8"), and
// only URLs that name an IP (nothing is resolved); IPv6 without brackets ("::1") unless
// a port follows ("[::1]:8080"). Case and a trailing dot do not matter. Pure.
import { BlockList, isIP } from 'node:net';

export type NoProxyRule =
  | { kind: 'all' }
  | { kind: 'name'; name: string; port?: number }
  | { kind: 'ip'; addresses: BlockList; port?: number };

export function parseNoProxy(text: string): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const entry of text.split(/[\s,]+/)) {
    if (!entry) continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const { host, port } = splitPort(entry);
    const ip = ipRule(host);
    if (ip) rules.push({ kind: 'ip', addresses: ip, ...(port !== undefined ? { port } : {}) });
    else {
      const name = normaliseName(host.replace(/^\*?\./, ''));
      if (name) rules.push({ kind: 'name', name, ...(port !== undefined ? { port } : {}) });
    }
  }
  return rules;
}

/** Whether a request to `url` goes direct under `rules`. */
export function bypassesProxy(url: URL, rules: readonly NoProxyRule[]): boolean {
  const host = hostOf(url);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const family = isIP(host);
  return rules.some((rule) => {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.kind === 'ip') return family !== 0 && rule.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6');
    return family === 0 && (host === rule.name || host.endsWith(`.${rule.name}`));
  });
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4'); // also matches ::ffff:127.x.y.z
LOOPBACK.addAddress('::1', 'ipv6');

/** localhost, *.localhost (RFC 6761), 127.0.0.0/8 and ::1: this host, whatever proxy is around. */
export function isLoopback(url: URL): boolean {
  const host = hostOf(url);
  const family = isIP(host);
  if (family) return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return host === 'localhost' || host.endsWith('.localhost');
}

/** The URL's host without IPv6 brackets or a trailing dot, lower case (URL lowers names already). */
function hostOf(url: URL): string {
  return normaliseName(url.hostname.replace(/^\[(.*)\]$/, '$1'));
}

const normaliseName = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** "host:port", "[v6]:port", "[v6]", or a bare IPv6 address (more than one colon: no port). */
function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort ? { host: withPort[1]!, port: Number(withPort[2]) } : { host: entry };
}

/** A BlockList for an IP address or CIDR range; undefined for a name. */
function ipRule(host: string): BlockList | undefined {
  const [address = '', bits, ...extra] = host.split('/');
  const family = isIP(address);
  if (!family || extra.length) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (bits === undefined) list.addAddress(address, type);
  else {
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) return undefined;
    list.addSubnet(address, prefix, type);
  }
  return list;
}
