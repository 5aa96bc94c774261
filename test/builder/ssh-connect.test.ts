// connectSsh's timeout message: besides the attempts and the serial console, a cloud-image
// build whose guest never fetched its HTTP seed says so (nobody could log in without it),
// and a guest that stopped for CPU features the emulated model lacks names the setting.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildContext } from '../../lib/builder/context.js';
import { connectSsh, cpuLevelNote } from '../../lib/builder/ssh-connect.js';
import { memoryLog } from '../../lib/log/log.js';
import { fakeBuildVm } from '../fakes/build-vm.js';
import { startFakeSshServer } from '../ssh/helpers/fake-ssh-server.js';
import { rejection } from '../helpers/rejection.js';

for (const fetched of [false, true]) {
  test(`an SSH timeout ${fetched ? 'does not blame' : 'names'} the seed when the guest ${fetched ? 'fetched' : 'never fetched'} it`, async () => {
    const server = await startFakeSshServer({ password: 'pw', upAfterMs: 60_000, beforeUp: 'refuse' });
    const ctx = {
      template: { name: 't', ssh: { username: server.username, password: 'pw', port: 22, timeout_ms: 600 } },
      vm: fakeBuildVm({ sshPort: server.port }),
      outputDir: '/nonexistent/out',
      seed: { instanceId: 'i', url: 'http://10.0.2.2:8000/cloud-init/' },
      http: { requests: fetched ? [{ path: '/cloud-init/user-data' }] : [{ path: '/cloud-init/meta-data' }] },
      log: memoryLog(),
      emit: () => {},
    } as unknown as BuildContext;
    try {
      const error = await rejection(connectSsh(ctx, new AbortController().signal), 'connected to a refusing port');
      const named = error.message.includes('never fetched its cloud-init seed (http://10.0.2.2:8000/cloud-init/user-data)') || (error as { hint?: string }).hint?.includes('never fetched its cloud-init seed');
      assert.is(!!named, !fetched, `${error.message}\n${(error as { hint?: string }).hint}`);
    } finally {
      await server.close();
    }
  });
}

const CPU_LINES: [string, string[], string | undefined][] = [
  ['glibc of an x86-64-v3 distribution on a v2 CPU', ['[    5.1] Run /init as init process', 'Fatal glibc error: CPU does not support x86-64-v3', 'Kernel panic - not syncing: Attempted to kill init!'], 'set machine.qemu.cpu_level: x86-64-v3,'],
  ['glibc of RHEL 9 on qemu64', ['Fatal glibc error: CPU does not support x86-64-v2'], 'set machine.qemu.cpu_level: x86-64-v2,'],
  ['a kernel built for features the CPU lacks', ['This kernel requires the following features not present on the CPU:', 'pae '], 'set machine.qemu.cpu_level to the level'],
  ['an ordinary boot', ['[    0.0] Linux version 6.1.0', 'x86/cpu: User Mode Instruction Prevention (UMIP) activated', 'debian login:'], undefined],
];
for (const [label, lines, setting] of CPU_LINES) {
  test(`cpuLevelNote: ${label}`, () => {
    const note = cpuLevelNote(lines);
    if (setting === undefined) assert.is(note, '');
    else assert.ok(note.includes(setting), note);
  });
}

test.run();
