// Builds PackerBuild values for the translation tests, each setting at its own line so a
// note or problem can be matched to the key it names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PackerBuild, PackerValue, PluginConfig, SourcePos } from '../../../lib/packer/model.js';
import { translateBuild } from '../../../lib/packer/translate/translate-build.js';
import { checkSchema } from '../../../lib/template/check-schema.js';
import { formatPath, type Finding, type Segment } from '../../../lib/template/finding.js';

export const FILE = '/work/packer/build.pkr.hcl';

let nextLine = 1;

export const at = (line: number, column = 3): SourcePos => ({ file: FILE, line, column });

/** A block whose settings are at consecutive lines after the block's own. */
export function block(type: string, settings: Record<string, PackerValue>, name?: string): PluginConfig {
  const pos = at(nextLine++, 1);
  const config: PluginConfig = { type, pos, settings: {}, ...(name ? { name } : {}) };
  for (const [key, value] of Object.entries(settings)) config.settings[key] = { value, pos: at(nextLine++) };
  return config;
}

export function packerBuild(source: PluginConfig, provisioners: PluginConfig[] = [], postProcessors: PluginConfig[][] = []): PackerBuild {
  return { name: 'vm', source, provisioners, postProcessors, dir: '/work/packer', sensitive: [], files: [FILE] };
}

export const SHA256 = 'ab'.repeat(32);

/** The least a qemu source needs to translate without problems. */
export const MINIMAL_QEMU: Record<string, PackerValue> = {
  iso_url: 'https://example.org/debian.iso',
  iso_checksum: `sha256:${SHA256}`,
  ssh_username: 'vagrant',
  shutdown_command: 'sudo poweroff',
};

/** The line of `key` in `config`, to match notes and problems against. */
export const lineOf = (config: PluginConfig, key: string): number => config.settings[key]!.pos.line;

/**
 * Keys the lead is adding to kiln's schema alongside the Packer import: until they are
 * merged, checkSchema reports them as unknown, and only that finding is ignored.
 */
const NEW_KEYS: RegExp[] = [
  /^machine\.qemu\.(disk_interface|net_device|cpu_model)$/,
  /^(cd|floppy)$/,
  /^provision\[\d+\]\.shell\.(execute_command|valid_exit_codes|pause_before|pause_after|max_retries|timeout|remote_folder|remote_path|skip_clean|start_retry_timeout|inline_shebang)$/,
  /^provision\[\d+\]\.file\.direction$/,
  /^output\.vagrant\.output$/,
];

export function schemaFindingsToday(document: unknown): Finding[] {
  return checkSchema(document).filter((f) => !(f.at === 'key' && f.message.startsWith('unknown key') && NEW_KEYS.some((k) => k.test(formatPath(f.path)))));
}

/** The value at a dotted path ("machine.qemu.args", "provision.1.shell"). */
export function valueAt(document: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, segment) => (node as Record<string, unknown> | undefined)?.[segment], document);
}

export interface KeyCase {
  name: string;
  /** Added to the base settings; undefined removes one. */
  settings: Record<string, PackerValue | undefined>;
  /** Dotted kiln path -> expected value (undefined: absent). */
  expect?: Record<string, unknown>;
  /** Packer keys that get a note at their own line. */
  notes?: string[];
  /** Packer key (or "" for the block itself) -> what its problem (or each of its problems) says. */
  problems?: Record<string, RegExp | RegExp[]>;
}

/** One uvu test per case: a `type` block of `base` plus the case's settings, translated alone. */
export function runCases(type: string, base: Record<string, PackerValue>, cases: KeyCase[]): void {
  for (const c of cases) {
    test(`${type}: ${c.name}`, () => {
      const merged: Record<string, PackerValue | undefined> = { ...base, ...c.settings };
      const settings = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, PackerValue] => entry[1] !== undefined));
      const source = block(type, settings);
      const { document, origins, notes, problems } = translateBuild(packerBuild(source));
      for (const [path, expected] of Object.entries(c.expect ?? {})) assert.equal(valueAt(document, path), expected, path);
      for (const key of c.notes ?? []) {
        assert.ok(notes.some((n) => n.pos.line === lineOf(source, key) && n.message.includes(key)), `a note at ${key}: ${JSON.stringify(notes)}`);
      }
      const expectedProblems = Object.entries(c.problems ?? {}).flatMap(([key, m]) => (Array.isArray(m) ? m : [m]).map((one) => [key, one] as const));
      assert.equal(problems.length, expectedProblems.length, JSON.stringify(problems));
      for (const [key, message] of expectedProblems) {
        const line = key ? lineOf(source, key) : source.pos.line;
        assert.ok(problems.some((p) => p.pos.line === line && message.test(p.message)), `${key}: ${message} in ${JSON.stringify(problems)}`);
      }
      // A translation without problems is a template kiln's schema takes.
      if (!problems.length) assert.equal(schemaFindingsToday(document), []);
      assertOriginsMatch(document, origins);
    });
  }
}

/** Every value in the document has an origin (a leaf or a list as a whole), and every origin names a value. */
export function assertOriginsMatch(document: Record<string, unknown>, origins: Map<string, SourcePos>): void {
  const walk = (node: unknown, path: Segment[]): void => {
    const key = formatPath(path);
    if (path.length && origins.has(key)) return;
    if (Array.isArray(node) && node.length) node.forEach((v, i) => walk(v, [...path, i]));
    else if (typeof node === 'object' && node !== null && Object.keys(node).length) {
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
    } else assert.unreachable(`no origin for ${key}`);
  };
  walk(document, []);
  for (const key of origins.keys()) {
    assert.ok(lookup(document, key) !== undefined, `origin ${key} names no value`);
  }
}

function lookup(document: unknown, formatted: string): unknown {
  const segments = [...formatted.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)].map((m) => (m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3]!))) as Segment);
  return segments.reduce<unknown>((node, s) => (node as Record<string | number, unknown> | undefined)?.[s], document);
}
