// meta-data and network-config of the NoCloud seed. The instance-id is new for every
// build: cloud-init runs its once-per-instance modules (users, SSH keys, growpart)
// when the id differs from the one it saw last, so a build from an image that has
// booted before still configures the guest. Pure apart from newInstanceId().
import { randomBytes } from 'node:crypto';
import { isMap, isScalar } from 'yaml';
import type { CloudConfig } from './types.js';
import { TO_STRING, parseYaml, yamlText } from './yaml-text.js';

export interface MetaDataDefaults {
  instanceId: string;
  hostname: string;
}

/** kiln-NAME-YYYYMMDDTHHMMSS-RANDOM: unique per build, and says which build it was. */
export function instanceIdFor(name: string, at: Date, random: string): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `kiln-${name}-${stamp}-${random}`;
}

export function newInstanceId(name: string): string {
  return instanceIdFor(name, new Date(), randomBytes(3).toString('hex'));
}

/** A hostname from the template name: letters, digits and "-", at most 63 characters. */
export function hostnameFor(name: string): string {
  const dashed = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  // Trimmed by hand: /-+$/ is retried at every dash of a long run, quadratic on "a---...---b".
  return trimDashes(trimDashes(dashed).slice(0, 63)) || 'kiln';
}

function trimDashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '-') start++;
  while (end > start && text[end - 1] === '-') end--;
  return text.slice(start, end);
}

export interface RenderedMetaData {
  text: string;
  /** The instance-id the guest will see: the document's own, or the default kiln added. */
  instanceId: string;
}

/**
 * meta-data with instance-id and local-hostname added unless given. A literal document
 * is kept as written when it already has both, or when it does not parse (lint says why).
 */
export function renderMetaData(spec: CloudConfig | string, defaults: MetaDataDefaults): RenderedMetaData {
  const wanted: [string, string][] = [
    ['instance-id', defaults.instanceId],
    ['local-hostname', defaults.hostname],
  ];
  const idOr = (id: unknown): string => (id === undefined || id === null ? defaults.instanceId : String(id));
  if (typeof spec !== 'string') {
    const keys = { ...Object.fromEntries(wanted), ...spec };
    return { text: yamlText(keys), instanceId: idOr(keys['instance-id']) };
  }
  const asWritten = { text: spec, instanceId: defaults.instanceId };
  const doc = parseYaml(spec);
  if (doc.errors.length > 0) return asWritten;
  const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null);
  if (empty) return { text: yamlText(Object.fromEntries(wanted)), instanceId: defaults.instanceId };
  if (!isMap(doc.contents)) return asWritten;
  const missing = wanted.filter(([key]) => !doc.has(key));
  for (const [key, value] of missing) doc.set(key, value);
  return { text: missing.length === 0 ? spec : doc.toString(TO_STRING), instanceId: idOr(doc.get('instance-id')) };
}

/** network-config: keys as YAML, a string as written. */
export function renderNetworkConfig(spec: CloudConfig | string): string {
  return typeof spec === 'string' ? spec : yamlText(spec);
}
