// Quoting for the POSIX shell that sshd runs a command with. Single quotes make every
// character literal except the single quote itself, which is written as '\'' (close the
// quote, an escaped quote, reopen). This is the one form that is safe for any byte
// string, newlines included, so values are never interpreted by the remote shell.

import { KilnError } from '../errors.js';

/** `value` as one single-quoted shell word, always quoted (`''` for the empty string). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

const PLAIN_WORD = /^[A-Za-z0-9_\/.,:@%+=-]+$/;

/** `value` as one shell word, left bare when it has no character the shell treats specially. */
export function shellWord(value: string): string {
  return PLAIN_WORD.test(value) ? value : shellQuote(value);
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** `A='1' B='x y'`: assignments for `export` or `env`; throws on a name the shell cannot set. */
export function envAssignments(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!isEnvName(name)) {
        throw new KilnError('E_SSH', `"${name}" is not a valid environment variable name`, {
          hint: 'use letters, digits and underscores, not starting with a digit',
        });
      }
      return `${name}=${shellQuote(value)}`;
    })
    .join(' ');
}

/**
 * `export A='1' B='x y'; ` to put in front of a command, or '' for no variables.
 * sshd refuses most `env` requests (AcceptEnv), so variables travel in the command itself.
 */
export function exportPrefix(env: Record<string, string>): string {
  const assignments = envAssignments(env);
  return assignments ? `export ${assignments}; ` : '';
}
