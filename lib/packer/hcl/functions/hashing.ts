// Digests of a string's UTF-8 bytes as lowercase hex, and UUIDs (v5 is SHA-1 based).
import { createHash, randomUUID } from 'node:crypto';
import { family, fn } from './arguments.js';
import { FunctionError } from './function-types.js';

function hexDigest(algorithm: string): (values: [string]) => string {
  return ([text]) => createHash(algorithm).update(text, 'utf8').digest('hex');
}

/** RFC 4122's well-known namespaces, by the names Terraform's uuidv5 accepts. */
const NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

const UUID = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

function uuidv5(namespace: string, name: string): string {
  const match = UUID.exec(Object.hasOwn(NAMESPACES, namespace) ? NAMESPACES[namespace] ?? '' : namespace);
  if (!match) throw new FunctionError(`uuidv5: the namespace must be dns, url, oid, x500 or a UUID, got ${JSON.stringify(namespace)}`);
  const digest = createHash('sha1').update(Buffer.from(match.slice(1).join(''), 'hex')).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const hashingFunctions = family({
  md5: fn(['string'], hexDigest('md5')),
  sha1: fn(['string'], hexDigest('sha1')),
  sha256: fn(['string'], hexDigest('sha256')),
  sha512: fn(['string'], hexDigest('sha512')),
  uuidv4: fn([], () => randomUUID()),
  uuidv5: fn(['string', 'string'], ([namespace, name]) => uuidv5(namespace, name)),
});
