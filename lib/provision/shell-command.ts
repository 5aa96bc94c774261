// What the shell provisioner sends: the script it uploads and the command that runs it.
// Pure, so every sudo and environment combination is checked by a table.

import { envAssignments, exportPrefix, shellQuote, shellWord } from '../ssh/shell-quote.js';

/**
 * Inline commands as one script. Like Packer's default inline shebang "/bin/sh -e",
 * the first failing command stops the script with its exit code.
 */
export function inlineScript(commands: string[], shebang?: string): string {
  const head = shebang === undefined ? ['#!/bin/sh', 'set -e'] : [`#!${shebang}`];
  return [...head, ...commands].join('\n') + '\n';
}

/**
 * Packer's execute_command: the template's own command line, with {{ .Path }} the
 * uploaded script and {{ .Vars }} the variables as `A='1' B='x y' ` (Packer's
 * env_var_format), so that `{{ .Vars }} sudo -E sh {{ .Path }}` passes them on.
 */
export function executeCommand(
  template: string,
  options: { path: string; env: Record<string, string>; render: (text: string, extra: { Vars: string; Path: string }) => string },
): ScriptCommand {
  const assignments = envAssignments(options.env);
  return { command: options.render(template, { Vars: assignments ? `${assignments} ` : '', Path: options.path }), env: {} };
}

export interface ScriptCommand {
  /** The command line for the remote login shell. */
  command: string;
  /** Variables for SshSession.exec to export in front of `command`. */
  env: Record<string, string>;
  /** What to write to stdin: the sudo password, when one is used. */
  stdin?: string;
}

/**
 * The command that runs the uploaded script at `path`.
 *
 * Under sudo, the variables are exported inside the `sh -c` that sudo starts, so
 * sudo's env_reset cannot drop them. `-n` makes sudo fail at once rather than wait for
 * a password prompt nobody answers; with a known password, `-S -p ''` reads it from
 * stdin without printing a prompt. The script's own stdin is /dev/null, so a password
 * sudo did not need (NOPASSWD) is never readable by the script.
 */
export function scriptCommand(options: {
  path: string;
  env: Record<string, string>;
  sudo: boolean;
  sudoPassword?: string;
}): ScriptCommand {
  const path = shellWord(options.path);
  if (!options.sudo) return { command: path, env: options.env };
  return underSudo(`${exportPrefix(options.env)}exec ${path} </dev/null`, options.sudoPassword);
}

/**
 * The command that runs a short `script` given on the command line (sh -c), nothing
 * uploaded: one round trip for kiln's own guest scripts (shrink). Under sudo as for
 * scriptCommand. With `onlyIf`, a script run first without sudo decides: the command
 * runs only when it exits 0.
 */
export function inlineShellCommand(options: { script: string; sudo: boolean; sudoPassword?: string; onlyIf?: string }): ScriptCommand {
  const run = `sh -c ${shellQuote(options.script)}`;
  const command = !options.sudo ? { command: `${run} </dev/null`, env: {} } : underSudo(`exec ${run} </dev/null`, options.sudoPassword);
  if (options.onlyIf === undefined) return command;
  // The condition runs as the login user, before any sudo: a false one costs no sudo, and exits 0.
  return { ...command, command: `if sh -c ${shellQuote(options.onlyIf)} </dev/null; then ${command.command}; fi` };
}

function underSudo(inner: string, sudoPassword: string | undefined): ScriptCommand {
  if (sudoPassword === undefined) return { command: `sudo -n -E sh -c ${shellQuote(inner)}`, env: {} };
  return { command: `sudo -S -p '' -E sh -c ${shellQuote(inner)}`, env: {}, stdin: `${sudoPassword}\n` };
}
