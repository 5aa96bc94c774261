// The one interface every provisioner and post-processor kind implements: kiln's own
// (lib/builder/kinds/) and those a template's `plugins:` list loads (docs/plugins.md).
// A kind is a name, a JSON schema for its options, what the stage cache keys, and run.
import type { SchemaNode } from '../template/schema-nodes.js';

export type KindStage = 'provision' | 'post-process';

/**
 * What a kind adds to its stage's cache key besides its options (always keyed): the
 * files it reads (absolute, or relative to the template's folder) and any other values.
 */
export interface CacheInputs {
  files?: string[];
  values?: unknown;
}

export interface Kind<Options, Context> {
  /** The key a template writes, e.g. `shell` or `write-motd`. */
  name: string;
  stage: KindStage;
  /** The options mapping's JSON schema; template validation reports each error at its file:line:col. */
  schema: SchemaNode;
  /**
   * false: never cached (what it does is on the host, or interactive), and nothing after
   * it resumes from the cache. Absent: keyed by its options alone.
   */
  cache?: false | ((options: Options, template: { dir: string }) => CacheInputs);
  run(context: Context, options: Options, signal: AbortSignal): Promise<void>;
}

/** The guest as a plugin provisioner reaches it: the build's SSH session. */
export interface PluginGuest {
  /** Runs a command; its output lines go to the build log under the step's label. */
  exec(command: string, options?: { stdin?: string }): Promise<{ exitCode: number | null; stdout: string[]; stderr: string[] }>;
  writeFile(remotePath: string, contents: string | Buffer, mode?: number): Promise<void>;
  uploadFile(localPath: string, remotePath: string, mode?: number): Promise<void>;
  download(remotePath: string, localPath: string): Promise<void>;
}

export interface PluginArtifact {
  file: string;
  /** Absolute path. */
  path: string;
  format: string;
  bytes: number;
  sha256: string;
}

/** What a plugin kind's run gets; sensitive values are masked in everything it logs. */
export interface PluginContext {
  /** Names the step in messages, e.g. "provision[2] write-motd". */
  label: string;
  buildName: string;
  templateDir: string;
  outputDir: string;
  log: { info(message: string): void; output(line: string): void };
  /** Provisioners only. */
  guest?: PluginGuest;
  /** Post-processors only: what the build exported so far. */
  artifacts?: readonly PluginArtifact[];
}

export type PluginKind = Kind<Record<string, unknown>, PluginContext>;

/** What a plugin module exports: `export const kinds = [...]` or `export default { kinds: [...] }`. */
export interface PluginModule {
  kinds: PluginKind[];
}
