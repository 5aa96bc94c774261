// shell-local on the host: the environment a script sees, failures, cancellation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError, KilnError } from '../../lib/errors.js';
import { runShellLocal, type ShellLocalOptions } from '../../lib/post-process/shell-local.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';

test.after(removeScratch);

function collect() {
  const lines: string[] = [];
  return { lines, onLine: (line: string, stream: 'stdout' | 'stderr') => void lines.push(`${stream}: ${line}`) };
}

test('a script sees the variables and the env given, runs in cwd; its output arrives line by line', async () => {
  const dir = await scratch({ 'post.sh': 'env > seen.env\necho "out $1"\necho err >&2\nprintf tail\n' });
  const { lines, onLine } = collect();
  const env = { KILN_BUILD_NAME: 'b', KILN_ARTIFACTS: '/o/b.qcow2 /o/b.ova', PACKER_BUILDER_TYPE: 'qemu', MINE: 'a b' };
  await runShellLocal({ label: 'post_process[0] shell-local', scripts: [join(dir, 'post.sh')], cwd: dir, env, onLine });
  const seen = readFileSync(join(dir, 'seen.env'), 'utf8');
  for (const [k, v] of Object.entries(env)) assert.ok(seen.includes(`${k}=${v}\n`), k);
  assert.ok(seen.includes(`PATH=`), 'kiln\'s own environment is kept');
  assert.equal(lines, ['stdout: out ', 'stderr: err', 'stdout: tail']);
});

test('inline commands are one shell: a variable set in one line is seen in the next', async () => {
  const dir = await scratch({});
  const { lines, onLine } = collect();
  await runShellLocal({ label: 'l', inline: ['X=1', 'echo "x=$X in $(basename "$PWD")"'], cwd: dir, env: {}, onLine });
  assert.equal(lines, [`stdout: x=1 in ${dir.split('/').pop()}`]);
});

test('scripts run in order; a failing one stops the rest: E_POST_PROCESS with the index, exit code and last stderr lines', async () => {
  const dir = await scratch({ 'a.sh': 'echo a >> ran\n', 'b.sh': 'echo b >> ran\necho "no space left" >&2\nexit 3\n', 'c.sh': 'echo c >> ran\n' });
  const options: ShellLocalOptions = { label: 'post_process[2] shell-local', scripts: ['a.sh', 'b.sh', 'c.sh'].map((s) => join(dir, s)), cwd: dir, env: {}, onLine: () => {} };
  const error = await kilnRejection(runShellLocal(options));
  assert.is(error.code, 'E_POST_PROCESS');
  assert.match(error.message, /^post_process\[2\] shell-local: .*b\.sh exited with code 3:\nno space left$/);
  assert.is(readFileSync(join(dir, 'ran'), 'utf8'), 'a\nb\n');
});

test('a working directory that is gone: E_POST_PROCESS saying the commands could not run', async () => {
  const dir = await scratch({});
  const error = await rejection(runShellLocal({ label: 'post_process[1] shell-local', inline: ['true'], cwd: join(dir, 'gone'), env: {}, onLine: () => {} }));
  assert.instance(error, KilnError);
  assert.is((error as KilnError).code, 'E_POST_PROCESS');
  assert.match(error.message, /^post_process\[1\] shell-local: could not run the inline commands: /);
});

test('an abort kills a running sleep 60 and what the shell started, promptly', async () => {
  const dir = await scratch({});
  const controller = new AbortController();
  const begin = Date.now();
  setTimeout(() => controller.abort(), 300);
  const running = runShellLocal({ label: 'l', inline: ['echo $$ > shell.pid', 'sleep 60', 'echo never'], cwd: dir, env: {}, onLine: () => {}, signal: controller.signal });
  assert.instance(await rejection(running), CancelledError);
  assert.ok(Date.now() - begin < 5000, `took ${Date.now() - begin} ms`);
  // Nothing of the shell's process group still runs (a killed sleep may linger a moment as a zombie).
  const group = readFileSync(join(dir, 'shell.pid'), 'utf8').trim();
  assert.equal(liveMembers(group), []);
});

/** Processes of a process group that are not zombies (Linux /proc). */
function liveMembers(pgid: string): string[] {
  const live: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (group === pgid && state !== 'Z') live.push(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
  }
  return live;
}

test.run();
