// The wait-cloud-init step against the fake SSH server, with a stand-in `cloud-init` on
// PATH that answers as cloud-init 22.4 does: the step reconnects when the link drops
// while cloud-init runs, and turns a failed or seedless run into a build error.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { connectSsh } from '../../lib/builder/ssh-connect.js';
import { waitCloudInit } from '../../lib/builder/steps/wait-cloud-init.js';
import { fakeBuildVm } from '../fakes/build-vm.js';
import { memoryLog } from '../../lib/log/log.js';
import { DROP_MARKER, startFakeSshServer, type FakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { kilnRejection } from '../helpers/rejection.js';

let bin: string;
let server: FakeSshServer;
const PATH = process.env.PATH;

test.before(async () => {
  bin = await mkdtemp(join(tmpdir(), 'kiln-fake-cloud-init-'));
  // The server runs commands with this process's environment.
  process.env.PATH = `${bin}:${PATH}`;
  server = await startFakeSshServer({ password: 'pw' });
});
test.after(async () => {
  process.env.PATH = PATH;
  await server.close();
  await rm(bin, { recursive: true, force: true });
});

/** `cloud-init` that prints each of `answers` in turn (one per call), exiting with its code. */
async function fakeCloudInit(answers: { stdout: string; code: number }[]): Promise<void> {
  const cases = answers.map((a, i) => `${i + 1}) printf '%s\\n' '${a.stdout}'; exit ${a.code} ;;`).join('\n  ');
  await writeFile(
    join(bin, 'cloud-init'),
    `#!/bin/sh
[ "$*" = "status --wait --format json" ] || { echo "unexpected: $*" >&2; exit 64; }
n=$(( $(cat "${bin}/calls" 2>/dev/null || echo 0) + 1 )); echo $n > "${bin}/calls"
case $n in
  ${cases}
esac
`,
  );
  await chmod(join(bin, 'cloud-init'), 0o755);
  await rm(join(bin, 'calls'), { force: true });
}

/** The step, reading cloud-init's result where the tests put it (absent unless a test writes it). */
const step = () => waitCloudInit({ resultPath: join(bin, 'result.json') });

const status = (s: string, datasource: string, errors: string[] = []) => JSON.stringify({ status: s, datasource, errors, detail: '', recoverable_errors: {} });

async function context(): Promise<BuildContext & { log: ReturnType<typeof memoryLog> }> {
  const ctx = {
    template: { name: 't', source: { disk: {} }, cloud_init: { user_data: {}, meta_data: {}, via: ['http'] }, ssh: { username: server.username, password: 'pw', port: 22, timeout_ms: 5000 } },
    vm: fakeBuildVm({ sshPort: server.port }),
    log: memoryLog(),
    emit: () => {},
  } as unknown as BuildContext & { log: ReturnType<typeof memoryLog> };
  ctx.ssh = await connectSsh(ctx, new AbortController().signal);
  return ctx;
}

test('a dropped connection while cloud-init runs: reconnect, ask again, done', async () => {
  await fakeCloudInit([
    { stdout: DROP_MARKER, code: 0 },
    { stdout: status('done', 'nocloud'), code: 0 },
  ]);
  const ctx = await context();
  try {
    await step().run(ctx, new AbortController().signal);
    assert.ok(ctx.log.lines.includes('info: the SSH connection dropped while cloud-init ran; reconnecting'), ctx.log.lines.join('\n'));
    assert.ok(ctx.log.lines.includes('info: cloud-init finished: done (data source nocloud)'), ctx.log.lines.join('\n'));
  } finally {
    await ctx.ssh?.close();
  }
});

test('cloud-init finished already: its result.json is read, cloud-init itself is not started', async () => {
  await fakeCloudInit([{ stdout: 'not to be asked', code: 1 }]);
  await writeFile(join(bin, 'result.json'), JSON.stringify({ v1: { datasource: 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]', errors: [] } }));
  const ctx = await context();
  try {
    await step().run(ctx, new AbortController().signal);
    assert.ok(ctx.log.lines.includes('info: cloud-init finished: done (data source nocloud)'), ctx.log.lines.join('\n'));
    assert.is(await readFile(join(bin, 'calls'), 'utf8').catch(() => 'never'), 'never', 'cloud-init status was started');
  } finally {
    await rm(join(bin, 'result.json'), { force: true });
    await ctx.ssh?.close();
  }
});

test('a guest restored from a checkpoint is not asked again; a booted one is', () => {
  const wait = step();
  const ctx = (restore?: BuildContext['restore']) => ({ ...(restore ? { restore } : {}) }) as BuildContext;
  assert.ok(wait.skip?.(ctx({ restored: true, ms: 900 })));
  assert.not.ok(wait.skip?.(ctx({ restored: false, why: 'the state is corrupt' })));
  assert.not.ok(wait.skip?.(ctx()));
});

test('errors, no seed found, and a link that keeps dropping are build errors with a hint', async () => {
  const cases: [{ stdout: string; code: number }[], RegExp][] = [
    [[{ stdout: status('error', 'nocloud', ['failed to install package htop']), code: 1 }], /cloud-init reported errors in the guest: failed to install package htop/],
    [[{ stdout: status('done', 'none'), code: 0 }], /found no NoCloud seed/],
    [Array.from({ length: 4 }, () => ({ stdout: DROP_MARKER, code: 0 })), /dropped 4 times while waiting for cloud-init/],
  ];
  for (const [answers, expected] of cases) {
    await fakeCloudInit(answers);
    const ctx = await context();
    try {
      const error = await kilnRejection(step().run(ctx, new AbortController().signal));
      assert.match(error.message, expected);
      assert.ok(error.hint, 'no hint');
    } finally {
      await ctx.ssh?.close();
    }
  }
});

test.run();
