// The shape of a JSON template's builders, provisioners and post-processors, checked
// once, before anything is evaluated: each is an object with a string "type"; `only`,
// `except` and `override` name builders that exist; post-processors are written as a
// type name, an object, or a list of these (a chain). Values stay nodes, evaluated per build.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Issue } from '../../errors.js';
import { didYouMean } from '../../util/did-you-mean.js';
import type { ParsedSource } from '../../template/parse-source.js';
import { entriesOf, issueAt, joinPath, startOf, typeName, type Entry } from './json-source.js';

export interface Block {
  type: string;
  /** The block's own `name`, when it has one. */
  name?: string;
  node: Node;
  path: string;
  /** Its settings: every entry but type, name, only, except and override. */
  entries: Entry[];
  only?: string[];
  except?: string[];
  /** Per builder name, entries that replace the settings of the same key. */
  override: Map<string, Entry[]>;
}

export interface Builder extends Block {
  /** The build's name: the builder's `name`, or its type. */
  buildName: string;
}

const BLOCK_KEYS = new Set(['type', 'name', 'only', 'except', 'override']);

export function readBuilders(source: ParsedSource, node: Node | null | undefined, issues: Issue[]): Builder[] {
  if (!isSeq(node) || node.items.length === 0) {
    const message = node === undefined || node === null ? 'a template needs "builders": a list with at least one builder, like [{ "type": "qemu", ... }]' : `"builders" must be a list of builder objects, got ${typeName(node.toJSON())}`;
    issues.push(issueAt(source, startOf(node ?? (source.doc.contents as Node | null)), 'builders', message));
    return [];
  }
  const builders: Builder[] = [];
  node.items.forEach((item, i) => {
    const block = readBlock(source, item as Node, joinPath('builders', i), 'builder', issues, { own: true });
    if (!block) return;
    const buildName = block.name ?? block.type;
    const twin = builders.find((b) => b.buildName === buildName);
    if (twin) {
      issues.push(issueAt(source, startOf(item as Node), block.path, `two builders are named "${buildName}" (the other is ${twin.path}): give each a different "name"`));
      return;
    }
    builders.push({ ...block, buildName });
  });
  return builders;
}

export function readProvisioners(source: ParsedSource, node: Node | null | undefined, builderNames: string[], issues: Issue[]): Block[] {
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) {
    issues.push(issueAt(source, startOf(node), 'provisioners', `"provisioners" must be a list of provisioner objects, got ${typeName(node.toJSON())}`));
    return [];
  }
  return node.items.flatMap((item, i) => readBlock(source, item as Node, joinPath('provisioners', i), 'provisioner', issues, { builderNames, override: true }) ?? []);
}

/** Post-processor chains: each top-level entry is a chain (a lone type or object is a chain of one). */
export function readPostProcessors(source: ParsedSource, node: Node | null | undefined, builderNames: string[], issues: Issue[]): Block[][] {
  if (node === undefined || node === null) return [];
  if (!isSeq(node)) {
    issues.push(issueAt(source, startOf(node), 'post-processors', `"post-processors" must be a list, got ${typeName(node.toJSON())}`));
    return [];
  }
  return node.items.map((item, i) => {
    const path = joinPath('post-processors', i);
    const members = isSeq(item) ? item.items.map((member, j) => ({ node: member as Node, path: joinPath(path, j) })) : [{ node: item as Node, path }];
    return members.flatMap((member) => readBlock(source, member.node, member.path, 'post-processor', issues, { builderNames, own: true, shorthand: true }) ?? []);
  });
}

interface BlockRules {
  /** Builder names that only/except/override may name (absent: the block may not have them). */
  builderNames?: string[];
  /** Whether `name` is the block's own name (builders, post-processors). */
  own?: boolean;
  override?: boolean;
  /** Whether a bare type name ("compress") stands for { "type": "compress" }. */
  shorthand?: boolean;
}

function readBlock(source: ParsedSource, node: Node, path: string, what: string, issues: Issue[], rules: BlockRules): Block | undefined {
  if (rules.shorthand && isScalar(node) && typeof node.value === 'string') return { type: node.value, node, path, entries: [], override: new Map() };
  if (!isMap(node)) {
    issues.push(issueAt(source, startOf(node), path, `a ${what} must be an object with a "type", got ${typeName(node.toJSON())}`));
    return undefined;
  }
  const entries = entriesOf(node);
  const find = (key: string) => entries.find((e) => e.key === key);
  const type = find('type');
  if (!type || !isScalar(type.value) || typeof type.value.value !== 'string' || type.value.value === '') {
    issues.push(issueAt(source, startOf(type?.value ?? node), path, `a ${what} needs a "type" naming its plugin, like "type": "${what === 'builder' ? 'qemu' : what === 'provisioner' ? 'shell' : 'vagrant'}"`));
    return undefined;
  }
  const block: Block = { type: type.value.value, node, path, entries: entries.filter((e) => !BLOCK_KEYS.has(e.key) || (!rules.own && e.key === 'name')), override: new Map() };
  const name = find('name');
  if (rules.own && name) {
    if (isScalar(name.value) && typeof name.value.value === 'string' && name.value.value !== '') block.name = name.value.value;
    else issues.push(issueAt(source, startOf(name.value ?? name.keyNode), joinPath(path, 'name'), `"name" must be a non-empty string`));
  }
  for (const key of ['only', 'except'] as const) {
    const entry = find(key);
    if (entry) block[key] = readBuilderList(source, entry, joinPath(path, key), rules.builderNames, issues);
  }
  if (block.only && block.except) issues.push(issueAt(source, startOf(find('except')!.keyNode), joinPath(path, 'except'), `give "only" or "except", not both`));
  const override = find('override');
  if (override) readOverride(source, override, joinPath(path, 'override'), rules, block, issues);
  return block;
}

function readBuilderList(source: ParsedSource, entry: Entry, path: string, builderNames: string[] | undefined, issues: Issue[]): string[] {
  if (!builderNames) {
    issues.push(issueAt(source, startOf(entry.keyNode), path, `"${entry.key}" is for provisioners and post-processors; -only and -except choose builders`));
    return [];
  }
  if (!isSeq(entry.value) || !entry.value.items.every((item) => isScalar(item) && typeof item.value === 'string')) {
    issues.push(issueAt(source, startOf(entry.value ?? entry.keyNode), path, `"${entry.key}" must be a list of builder names, like ["qemu"]`));
    return [];
  }
  return entry.value.items.map((item, i) => {
    const name = (item as { value: string }).value;
    if (!builderNames.includes(name)) issues.push(issueAt(source, startOf(item as Node), joinPath(path, i), unknownBuilder(name, builderNames)));
    return name;
  });
}

function readOverride(source: ParsedSource, entry: Entry, path: string, rules: BlockRules, block: Block, issues: Issue[]): void {
  const builderNames = rules.builderNames ?? [];
  if (!rules.override) {
    issues.push(issueAt(source, startOf(entry.keyNode), path, '"override" is for provisioners: it sets their settings per builder'));
  } else if (!isMap(entry.value)) {
    issues.push(issueAt(source, startOf(entry.value ?? entry.keyNode), path, '"override" must be an object of builder names to settings, like { "qemu": { "execute_command": "..." } }'));
  } else {
    for (const per of entriesOf(entry.value)) {
      if (!builderNames.includes(per.key)) issues.push(issueAt(source, startOf(per.keyNode), joinPath(path, per.key), unknownBuilder(per.key, builderNames)));
      else if (!isMap(per.value)) issues.push(issueAt(source, startOf(per.value ?? per.keyNode), joinPath(path, per.key), `the override for "${per.key}" must be an object of settings`));
      else block.override.set(per.key, entriesOf(per.value));
    }
  }
}

const unknownBuilder = (name: string, builderNames: string[]): string =>
  `"${name}" is not a builder of this template${didYouMean(name, builderNames)} (builders: ${builderNames.join(', ') || 'none'})`;

/** Whether a provisioner or post-processor applies to the build named `buildName`. */
export function appliesTo(block: Block, buildName: string): boolean {
  if (block.only) return block.only.includes(buildName);
  if (block.except) return !block.except.includes(buildName);
  return true;
}
