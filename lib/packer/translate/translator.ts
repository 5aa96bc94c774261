// The document being written, where each of its keys came from, and what was noted or
// refused on the way: one object the key handlers share, so every problem is collected.
import { formatPath, type Segment } from '../../template/finding.js';
import type { PackerBuild, PackerNote, PluginConfig, SourcePos } from '../model.js';

export class Translator {
  readonly document: Record<string, unknown> = {};
  readonly origins = new Map<string, SourcePos>();
  readonly notes: PackerNote[] = [];
  readonly problems: PackerNote[] = [];

  constructor(readonly build: PackerBuild) {}

  /** Sets the value at `path`, making the mappings on the way, and records its origin. */
  set(path: readonly Segment[], value: unknown, pos: SourcePos): void {
    let node: Record<string, unknown> | unknown[] = this.document;
    path.forEach((segment, i) => {
      const container = node as Record<string | number, unknown>;
      if (i === path.length - 1) {
        container[segment] = value;
        return;
      }
      const next = container[segment];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else {
        const made = typeof path[i + 1] === 'number' ? [] : {};
        container[segment] = made;
        node = made;
      }
    });
    this.origins.set(formatPath(path), pos);
  }

  get(path: readonly Segment[]): unknown {
    let node: unknown = this.document;
    for (const segment of path) {
      if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string | number, unknown>)[segment];
    }
    return node;
  }

  note(pos: SourcePos, message: string): void {
    this.notes.push({ pos, message: this.masked(message) });
  }

  problem(pos: SourcePos, message: string): void {
    this.problems.push({ pos, message: this.masked(message) });
  }

  /** A value quoted in a message, with the template's sensitive values hidden. */
  masked(text: string): string {
    return this.build.sensitive.filter((s) => s !== '').reduce((out, secret) => out.split(secret).join('<sensitive>'), text);
  }
}

/** `qemu source "vm"`, `shell provisioner`: how messages name a block. */
export function blockName(config: PluginConfig, role: 'source' | 'provisioner' | 'post-processor'): string {
  return `${config.type} ${role}${config.name ? ` "${config.name}"` : ''}`;
}
