// The provision step over a real SSH session to the in-process fake server: provisioners
// run in order with placeholders rendered, a provisioner that reboots the guest is
// followed by a new login, the resumed ones are not run again, and a failure stops it.
import { SHELL_RUN_DEFAULTS } from '../../lib/template/normalise.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { connectSsh } from '../../lib/builder/ssh-connect.js';
import { provision } from '../../lib/builder/steps/provision.js';
import { KilnError } from '../../lib/errors.js';
import { memoryLog } from '../../lib/log/log.js';
import type { Provisioner } from '../../lib/template/types.js';
import { fakeBuildVm } from '../fakes/build-vm.js';
import { kilnRejection } from '../helpers/rejection.js';
import { removeScratch, scratch } from '../helpers/scratch-dir.js';
import { DROP_MARKER, startFakeSshServer, type FakeSshServer } from '../ssh/helpers/fake-ssh-server.js';

test.after(removeScratch);

const shell = (inline: string[], more: Partial<Provisioner> = {}): Provisioner => ({ type: 'shell', inline, sudo: false, env: {}, expect_disconnect: false, ...SHELL_RUN_DEFAULTS, valid_exit_codes: [0], ...more }) as Provisioner;

async function context(server: FakeSshServer, extra: Partial<BuildContext> = {}) {
  const ctx = {
    options: {},
    template: { name: 'prov', ssh: { username: server.username, password: 'pw', port: 22, timeout_ms: 5000 } },
    vm: fakeBuildVm({ sshPort: server.port }),
    outputDir: '/nonexistent/out',
    log: memoryLog(),
    emit: () => {},
    ...extra,
  } as unknown as BuildContext & { log: ReturnType<typeof memoryLog> };
  ctx.ssh = await connectSsh(ctx, new AbortController().signal);
  return ctx;
}

test('shell and file provisioners run in order, with {{ .Name }} rendered; a reboot is followed by a new login', async () => {
  const server = await startFakeSshServer({ password: 'pw' });
  const local = await scratch({ 'motd.txt': 'hello\n' });
  const ctx = await context(server);
  try {
    const first = ctx.ssh;
    await provision({
      provisioners: [
        shell(['echo one >> order']),
        { type: 'file', direction: 'upload', source: join(local, 'motd.txt'), destination: 'motd-{{ .Name }}', pause_before_ms: 0, max_retries: 0 },
        shell([`echo two >> order; echo ${DROP_MARKER}`], { expect_disconnect: true }),
        shell(['echo three >> order']),
      ],
    }).run(ctx, new AbortController().signal);
    assert.is(readFileSync(join(server.home, 'order'), 'utf8'), 'one\ntwo\nthree\n');
    assert.is(readFileSync(join(server.home, 'motd-prov'), 'utf8'), 'hello\n');
    assert.is.not(ctx.ssh, first, 'a new session after the disconnect');
    assert.ok(ctx.log.lines.some((l) => l.includes('provision[2] shell: the guest disconnected as expected; reconnecting')), ctx.log.lines.join('\n'));
  } finally {
    await ctx.ssh?.close();
    await server.close();
  }
});

test('a build resumed after provision[0] runs only the rest; a failing script fails the step with E_PROVISION', async () => {
  const server = await startFakeSshServer({ password: 'pw' });
  const ctx = await context(server, { cache: { provisionersDone: 1 } } as unknown as Partial<BuildContext>);
  try {
    const error = await kilnRejection(
      provision({ provisioners: [shell(['echo skipped >> order']), shell(['echo ran >> order', 'exit 3']), shell(['echo never >> order'])] }).run(
        ctx,
        new AbortController().signal,
      ),
    );
    assert.instance(error, KilnError);
    assert.is(error.code, 'E_PROVISION');
    assert.is(readFileSync(join(server.home, 'order'), 'utf8'), 'ran\n');
  } finally {
    await ctx.ssh?.close();
    await server.close();
  }
});

test('shell-local runs on the host with the guest\'s SSH address and Packer\'s names; a file copy is retried (max_retries)', async () => {
  const server = await startFakeSshServer({ password: 'pw' });
  const local = await scratch({});
  const ctx = await context(server, { outputDir: join(local, 'out') });
  Object.assign(ctx.template, { dir: local, hypervisor: 'qemu' });
  try {
    const error = await kilnRejection(provision({
      provisioners: [
        { type: 'shell-local', inline: ['env | grep -E "^(KILN|PACKER|MINE)_" | sort > seen.env'], env: { MINE_NAME: '{{ .Name }}' }, pause_before_ms: 0, max_retries: 0 },
        // The guest has no such file: the copy fails, runs once more, and fails the step.
        { type: 'file', direction: 'download', source: 'missing', destination: join(local, 'got'), pause_before_ms: 0, max_retries: 1 },
      ],
    }).run(ctx, new AbortController().signal));
    assert.is(error.code, 'E_PROVISION');
    const seen = readFileSync(join(local, 'seen.env'), 'utf8');
    for (const line of ['KILN_BUILD_NAME=prov', `KILN_OUTPUT_DIR=${join(local, 'out')}`, 'KILN_SSH_HOST=127.0.0.1', `KILN_SSH_PORT=${server.port}`, `KILN_SSH_USER=${server.username}`, 'PACKER_BUILD_NAME=prov', 'PACKER_BUILDER_TYPE=qemu', 'MINE_NAME=prov']) {
      assert.ok(seen.includes(`${line}\n`), `${line} in:\n${seen}`);
    }
    assert.ok(ctx.log.lines.some((l) => /provision\[1\] file: .*running it again \(attempt 2 of 2, max_retries\)/.test(l)), ctx.log.lines.join('\n'));
  } finally {
    await ctx.ssh?.close();
    await server.close();
  }
});

test.run();
