// The URL paths a template names: the URLs its boot command types and its <waitHttp>
// paths. The HTTP server serves a dotfile from http.directory only at a named path
// (disk-files.ts), and lint's idea of what is served follows the same rule.
import { placeholderTable } from '../template/placeholders.js';
import { renderPartial } from '../template/render.js';
import type { Template } from '../template/types.js';
import { PORT_SENTINEL, scanBootCommand, type BootScan } from './boot-references.js';

/** Values for rendering http.content and the boot command when nothing runs yet. */
const sample = (name: string) =>
  placeholderTable({
    name,
    outputDir: '/tmp/kiln-output',
    httpPort: PORT_SENTINEL,
    sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKilnKilnKilnKilnKilnKilnKilnKilnKilnKilnKiln kiln',
  });

/** `text` rendered with sample values; as written when it cannot be (template validation reports that). */
export function renderSample(text: string, name: string): string {
  try {
    return renderPartial(text, sample(name));
  } catch {
    return text;
  }
}

/** The boot command scanned as it would be typed; undefined when it cannot be parsed (validation reports that). */
export function scanTemplateBoot(t: Pick<Template, 'name' | 'boot'>): BootScan | undefined {
  try {
    return scanBootCommand(t.boot.command.map((line) => renderSample(line, t.name)));
  } catch {
    return undefined;
  }
}

export function namedPaths(scan: BootScan | undefined): Set<string> {
  return new Set([...(scan?.references ?? []).map((r) => r.path), ...(scan?.waits ?? []).map((w) => w.path)]);
}
