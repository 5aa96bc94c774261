// The shrink step against a recording SSH session and a real qcow2 work disk: the
// guest sync before measuring is skipped right after a checkpoint synced the guest,
// the guest's skip verdict leaves the disk unmeasured a second time, and a failing
// script is a warning, never a failed build.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { shrinkDisk } from '../../lib/builder/steps/shrink.js';
import { memoryLog } from '../../lib/log/log.js';
import type { ExecOptions, ExecResult } from '../../lib/ssh/exec.js';

let dir: string;
let disk: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-shrink-step-'));
  disk = join(dir, 'disk.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
  execFileSync('qemu-io', ['-c', 'write -P 1 0 4M', disk], { stdio: 'ignore' });
});
test.after(() => rm(dir, { recursive: true, force: true }));

/** A session whose shrink script prints `lines` and exits with `code`; every command is recorded. */
function session(lines: string[], code = 0) {
  const commands: string[] = [];
  return {
    commands,
    async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
      commands.push(command === 'sync' ? 'sync' : 'script');
      if (command !== 'sync') for (const line of lines) options.onStdout?.(line);
      return { exitCode: command === 'sync' ? 0 : code, disconnected: false, stdoutTail: [], stderrTail: [] };
    },
  };
}

function context(ssh: ReturnType<typeof session>, guestSynced?: boolean) {
  return { disk: { path: disk, format: 'qcow2' }, ssh, log: memoryLog(), ...(guestSynced !== undefined ? { guestSynced } : {}) } as unknown as BuildContext & { log: ReturnType<typeof memoryLog> };
}

const step = shrinkDisk({ ssh: { username: 'kiln', password: 'pw' } as never, discard: true });
const SKIPPED = ['kiln-shrink: used 4096', 'kiln-shrink: / skipped'];

test('after a checkpoint synced the guest: one round trip, the script only', async () => {
  const ssh = session(SKIPPED);
  const ctx = context(ssh, true);
  await step.run(ctx, new AbortController().signal);
  assert.equal(ssh.commands, ['script']);
  assert.equal(ctx.shrink, { before: 4 * 1024 * 1024, after: 4 * 1024 * 1024, filesystems: [{ mount: '/', outcome: 'skipped' }] });
  assert.match(ctx.log.lines.join('\n'), /shrink: \/ skipped \(the filesystems use 4M: at most 0B could be freed/);
});

test('anything may have run since the last sync (a provisioner, no checkpoint): sync first', async () => {
  for (const synced of [undefined, false]) {
    const ssh = session(SKIPPED);
    await step.run(context(ssh, synced), new AbortController().signal);
    assert.equal(ssh.commands, ['sync', 'script'], String(synced));
  }
});

test('a script that fails is a warning and leaves no shrink result', async () => {
  const ctx = context(session([], 1), true);
  await step.run(ctx, new AbortController().signal);
  assert.is(ctx.shrink, undefined);
  assert.match(ctx.log.lines.join('\n'), /warn: shrinking failed \(exit 1\): the images are exported unshrunk/);
});

test.run();
