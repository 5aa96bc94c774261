import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inlineScript, inlineShellCommand, type ScriptCommand, scriptCommand } from '../../lib/provision/shell-command.js';

test('inlineScript: sh with set -e, one command per line', () => {
  assert.is(inlineScript(['echo a', 'echo b']), '#!/bin/sh\nset -e\necho a\necho b\n');
  assert.is(inlineScript([]), '#!/bin/sh\nset -e\n');
});

test('inlineScript stops at the first failing command', () => {
  const script = inlineScript(['echo first', 'false', 'echo never']);
  let status = 0;
  let out = '';
  try {
    execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  } catch (error) {
    status = (error as { status: number }).status;
    out = (error as { stdout: string }).stdout;
  }
  assert.is(status, 1);
  assert.is(out, 'first\n');
});

const path = '/tmp/kiln-0123abcd.sh';
const cases: [string, Parameters<typeof scriptCommand>[0], ScriptCommand][] = [
  ['plain', { path, env: {}, sudo: false }, { command: path, env: {} }],
  ['plain with env: left to exec to export', { path, env: { A: '1' } , sudo: false }, { command: path, env: { A: '1' } }],
  ['sudo without password', { path, env: {}, sudo: true }, { command: `sudo -n -E sh -c 'exec ${path} </dev/null'`, env: {} }],
  [
    'sudo with env: exported inside sudo',
    { path, env: { A: '1', B: 'x y' }, sudo: true },
    { command: `sudo -n -E sh -c 'export A='\\''1'\\'' B='\\''x y'\\''; exec ${path} </dev/null'`, env: {} },
  ],
  [
    'sudo with password: -S, empty prompt, password on stdin',
    { path, env: {}, sudo: true, sudoPassword: 'pa ss' },
    { command: `sudo -S -p '' -E sh -c 'exec ${path} </dev/null'`, env: {}, stdin: 'pa ss\n' },
  ],
  ['password without sudo is not used', { path, env: {}, sudo: false, sudoPassword: 'x' }, { command: path, env: {} }],
  ['an odd path is quoted', { path: '/tmp/my dir/x.sh', env: {}, sudo: false }, { command: `'/tmp/my dir/x.sh'`, env: {} }],
];
for (const [name, input, want] of cases) {
  test(`scriptCommand: ${name}`, () => assert.equal(scriptCommand(input), want));
}

test('the sudo command line runs the script with its variables in a real shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-shell-command-'));
  try {
    const script = join(dir, 'show.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s|' "$A" "$B"\n`, { mode: 0o755 });
    const { command } = scriptCommand({ path: script, env: { A: "it's", B: 'x y' }, sudo: true });
    // A stand-in for sudo that drops its options (-p takes a value) and runs the rest.
    const sudo = `sudo() { while :; do case "$1" in -p) shift 2 ;; -*) shift ;; *) break ;; esac; done; "$@"; }`;
    const out = execFileSync('/bin/sh', ['-c', `${sudo}; ${command}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    assert.is(out, "it's|x y|");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inlineShellCommand: a script on the command line runs as is, with and without sudo; a password only on stdin', () => {
  const script = `#!/bin/sh\nset -u\nprintf '%s|' "it's" "$(echo 'x y')"\n`;
  const sudo = `sudo() { while :; do case "$1" in -p) shift 2 ;; -*) shift ;; *) break ;; esac; done; "$@"; }`;
  for (const [sudoOn, password] of [[false, undefined], [true, undefined], [true, 'pw']] as const) {
    const command = inlineShellCommand({ script, sudo: sudoOn, ...(password ? { sudoPassword: password } : {}) });
    assert.equal([command.env, command.stdin], [{}, password ? `${password}\n` : undefined]);
    assert.ok(!command.command.includes('pw'), 'the password is on the command line');
    const out = execFileSync('/bin/sh', ['-c', `${sudo}; ${command.command}`], { encoding: 'utf8', env: { PATH: process.env.PATH }, input: command.stdin ?? '' });
    assert.is(out, "it's|x y|", `sudo: ${sudoOn}, password: ${password}`);
  }
});

test('inlineShellCommand onlyIf: the condition runs first without sudo; false skips the script (and exits 0), true runs it with the password still on stdin', () => {
  // A sudo that reads its password from stdin as `sudo -S` does, and says whether it got one.
  const sudo = `sudo() { read -r pw; while :; do case "$1" in -p) shift 2 ;; -*) shift ;; *) break ;; esac; done; echo "sudo got $pw"; "$@"; }`;
  for (const [condition, expected] of [['echo checked; exit 1', 'checked\n'], ['echo checked; exit 0', "checked\nsudo got pw\nran\n"]] as const) {
    const command = inlineShellCommand({ script: 'echo ran', sudo: true, sudoPassword: 'pw', onlyIf: condition });
    const out = execFileSync('/bin/sh', ['-c', `${sudo}; ${command.command}; echo "exit $?"`], { encoding: 'utf8', env: { PATH: process.env.PATH }, input: command.stdin ?? '' });
    assert.is(out, `${expected}exit 0\n`, condition);
  }
});

test.run();
