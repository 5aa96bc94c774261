import { FileFollower } from '../../console/file-follower.js';
import { registerBuild, unregisterBuild } from '../../console/running-builds.js';
import { cleanConsoleText } from '../../console/sanitize.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

/**
 * Makes the VM's serial console reachable while the build runs: `kiln console NAME`
 * finds it through the running-builds record written here, and with --console its
 * output is streamed (from serial.log, so the socket stays free for `kiln console`).
 */
export function serialConsole(options: { name: string; stream: boolean }): Step<BuildContext> {
  let follower: FileFollower | undefined;
  let registered = false;
  return {
    name: 'serial-console',
    async run(ctx) {
      const vm = need(ctx.vm, 'vm');
      // Being findable is a convenience: a build does not fail over it.
      try {
        // QEMU's console is a socket; VirtualBox's COM1 writes a file only, so there is nothing to find.
        const socket = await vm.serialSocket();
        if (socket) {
          const other = await registerBuild({
            name: options.name,
            pid: process.pid,
            serialSocket: socket,
            outputDir: ctx.outputDir,
            started: new Date().toISOString(),
          });
          if (other) ctx.log.warn(`another build called ${other.name} is running (pid ${other.pid}): kiln console ${other.name} reaches that one`);
          else registered = true;
        }
      } catch (error) {
        ctx.log.warn(`kiln console will not find this build: ${(error as Error).message}`);
      }
      if (options.stream) {
        follower = new FileFollower(vm.serialLog, (line) => {
          const text = cleanConsoleText(line);
          if (text.trim()) ctx.emit({ type: 'serial', line: text });
        });
        follower.start();
      }
    },
    async cleanup() {
      await follower?.stop();
      if (registered) await unregisterBuild(options.name);
    },
  };
}
