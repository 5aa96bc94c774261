// A BuildVm that records what the steps ask of it, for step unit tests. The guest's
// power state is a flag: powerdown() stops it after `stopsAfterPowerdownMs` (or never),
// and waitForExit answers from it.
import type { BuildVm, VmDisk } from '../../lib/hypervisor/build-vm.js';
import { sleep } from '../../lib/util/sleep.js';

export interface FakeBuildVm extends BuildVm {
  readonly calls: string[];
  /** Makes the guest stop now (it powered itself off). */
  stop(): void;
}

export function fakeBuildVm(
  options: { disk?: VmDisk; sshPort?: number; serialLog?: string; stopsAfterPowerdownMs?: number | 'never'; capabilities?: Pick<BuildVm, 'snapshotDisk' | 'appliance'> } = {},
): FakeBuildVm {
  const calls: string[] = [];
  let stopped = false;
  let settle: () => void = () => {};
  const exited = new Promise<void>((resolve) => (settle = resolve));
  const stop = () => {
    stopped = true;
    settle();
  };
  return {
    calls,
    stop,
    label: 'FakeVM',
    stoppedCode: 'E_QEMU',
    exited,
    disk: options.disk ?? { path: '/nonexistent/disk.qcow2', format: 'qcow2' },
    ...(options.sshPort !== undefined ? { sshPort: options.sshPort } : {}),
    serialLog: options.serialLog ?? '/nonexistent/serial.log',
    planTyping: () => [],
    sendKeyEvents: async () => void calls.push('keys'),
    screendump: async () => void calls.push('screendump'),
    powerdown: async () => {
      calls.push('powerdown');
      const after = options.stopsAfterPowerdownMs ?? 0;
      if (after !== 'never') setTimeout(stop, after);
    },
    waitForExit: async (timeoutMs, signal) => {
      calls.push(`waitForExit ${timeoutMs}`);
      const deadline = Date.now() + timeoutMs;
      while (!stopped && Date.now() < deadline) await sleep(5, signal);
      return stopped;
    },
    kill: async () => {
      calls.push('kill');
      stop();
    },
    stderrTail: () => '',
    serialSocket: async () => undefined,
    dispose: async ({ keepFiles }) => void calls.push(`dispose keepFiles=${keepFiles}`),
    ...options.capabilities,
  };
}
