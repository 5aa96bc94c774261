// Test helper: the driver's VBoxManage runner backed by the fake in-process, for tests
// that make many calls (a process per call costs ~0.3 s on a loaded machine). It keeps
// the runner's contract: failures as VBoxManageError, an aborted signal as CancelledError.
// `beforeCall` sees each call first (to abort or count).

import { CancelledError } from '../../../lib/errors.js';
import { VBoxManageError } from '../../../lib/hypervisor/virtualbox/errors.js';
import type { VBoxManage, VBoxResult } from '../../../lib/hypervisor/virtualbox/run.js';
import { runFake } from './fake.js';
import type { FakeVBox } from './install.js';

export function inProcessVBoxManage(fake: FakeVBox, beforeCall?: (args: readonly string[]) => void): VBoxManage & { calls: string[][] } {
  let tail = '';
  const calls: string[][] = [];
  const tryRun = async (args: readonly string[], options: { signal?: AbortSignal } = {}): Promise<VBoxResult> => {
    if (options.signal?.aborted) throw new CancelledError();
    beforeCall?.(args);
    calls.push([...args]);
    const { code, stdout, stderr } = await runFake([...args], fake.env);
    tail = (tail + stderr).split('\n').slice(-20).join('\n');
    if (options.signal?.aborted) throw new CancelledError();
    return { stdout, stderr, exitCode: code };
  };
  return {
    binary: 'VBoxManage (in-process fake)',
    calls,
    tryRun,
    async run(args, options) {
      const result = await tryRun(args, options);
      if (result.exitCode !== 0) throw new VBoxManageError(args, result.exitCode, result.stderr);
      return result;
    },
    stderrTail: () => tail.trim(),
  };
}
