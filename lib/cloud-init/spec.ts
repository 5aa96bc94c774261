// The template's `cloud_init:` section, checked and given its defaults. Pure: the raw
// value (as loaded, variables substituted) in; the typed spec and every problem out,
// as findings addressed by key path so the template check can print file:line:column.
import { didYouMean } from '../util/did-you-mean.js';
import type { Finding, Segment } from '../template/finding.js';
import type { CloudInitSpec, SeedDelivery, UserDataSpec } from './types.js';

const KEYS = ['user_data', 'meta_data', 'network_config', 'via'];
const PART_KINDS = ['cloud_config', 'script', 'boothook', 'content_type'];
const DELIVERIES: readonly SeedDelivery[] = ['http', 'cdrom'];
/** A file name cloud-init can write the part under (it keeps scripts in a directory). */
const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface SpecResult {
  /** Undefined when there are findings. */
  spec?: CloudInitSpec;
  findings: Finding[];
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseCloudInitSpec(raw: unknown, at: Segment[] = ['cloud_init']): SpecResult {
  const findings: Finding[] = [];
  const problem = (path: Segment[], message: string, where?: 'key') => findings.push({ path: [...at, ...path], message, ...(where ? { at: where } : {}) });
  if (!isMapping(raw)) {
    problem([], 'cloud_init must be a mapping with user_data, meta_data, network_config and via');
    return { findings };
  }
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) problem([key], `unknown key "${key}"${didYouMean(key, KEYS)}; cloud_init has ${KEYS.join(', ')}`, 'key');
  }
  const userData = raw['user_data'] ?? {};
  if (Array.isArray(userData)) userData.forEach((part, i) => checkPart(part, ['user_data', i], problem));
  else if (!isMapping(userData) && typeof userData !== 'string') {
    problem(['user_data'], 'user_data must be cloud-config keys (a mapping), a #cloud-config document or script (a string), or a list of parts');
  }
  const metaData = raw['meta_data'] ?? {};
  if (!isMapping(metaData) && typeof metaData !== 'string') problem(['meta_data'], 'meta_data must be a mapping (instance-id, local-hostname, ...) or a string');
  const network = raw['network_config'];
  if (network !== undefined && !isMapping(network) && typeof network !== 'string') {
    problem(['network_config'], 'network_config must be a mapping (network configuration version 1 or 2) or a string');
  }
  const via = parseVia(raw['via'] ?? 'http', (message) => problem(['via'], message));
  if (findings.length > 0) return { findings };
  const spec: CloudInitSpec = {
    user_data: userData as UserDataSpec,
    meta_data: metaData as CloudInitSpec['meta_data'],
    via: via!,
  };
  if (network !== undefined) spec.network_config = network as CloudInitSpec['network_config'];
  return { spec, findings };
}

function parseVia(raw: unknown, problem: (message: string) => void): SeedDelivery[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  const out: SeedDelivery[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !DELIVERIES.includes(item as SeedDelivery)) {
      problem(`via must be http, cdrom or a list of both, not ${JSON.stringify(item)}${typeof item === 'string' ? didYouMean(item, DELIVERIES) : ''}`);
      return undefined;
    }
    if (out.includes(item as SeedDelivery)) {
      problem(`via lists ${item} twice`);
      return undefined;
    }
    out.push(item as SeedDelivery);
  }
  if (out.length === 0) problem('via must name at least one of http and cdrom');
  return out;
}

function checkPart(part: unknown, path: Segment[], problem: (path: Segment[], message: string, where?: 'key') => void): void {
  if (!isMapping(part)) {
    problem(path, 'a user_data part must be a mapping with one of cloud_config, script, boothook or content_type');
    return;
  }
  const kinds = PART_KINDS.filter((k) => k in part);
  if (kinds.length !== 1) {
    problem(path, kinds.length === 0 ? 'a user_data part needs one of cloud_config, script, boothook or content_type' : `a user_data part has one of ${kinds.join(' and ')}, not both`);
    return;
  }
  const kind: string = kinds[0]!;
  const allowed = kind === 'cloud_config' ? ['cloud_config'] : kind === 'content_type' ? ['content_type', 'content', 'filename'] : [kind, 'filename'];
  for (const key of Object.keys(part)) {
    if (!allowed.includes(key)) problem([...path, key], `unknown key "${key}" in a ${kind} part${didYouMean(key, allowed)}; it has ${allowed.join(', ')}`, 'key');
  }
  const value = part[kind];
  if (kind === 'cloud_config') {
    if (!isMapping(value) && typeof value !== 'string') problem([...path, kind], 'cloud_config must be cloud-config keys (a mapping) or a #cloud-config document (a string)');
    return;
  }
  if (typeof value !== 'string') {
    problem([...path, kind], `${kind} must be a string`);
    return;
  }
  if (kind === 'script' && !value.startsWith('#!')) {
    problem([...path, kind], 'a script must start with "#!" (e.g. #!/bin/sh): cloud-init runs it as a program');
  }
  if (kind === 'content_type') {
    if (!/^text\/[a-z0-9.+-]+$/.test(value)) problem([...path, kind], `content_type must be a text/ MIME type such as text/x-include-url, not ${JSON.stringify(value)}`);
    if (typeof part['content'] !== 'string') problem([...path, 'content'], 'a content_type part needs content: a string');
  }
  const filename = part['filename'];
  if (filename !== undefined && (typeof filename !== 'string' || !FILENAME.test(filename))) {
    problem([...path, 'filename'], 'filename must be a plain file name: letters, digits, ".", "_" and "-", at most 64');
  }
}
