import { FileFollower } from '../../console/file-follower.js';
import { registerBuild, unregisterBuild } from '../../console/running-builds.js';
import { cleanConsoleText } from '../../console/sanitize.js';
import type { Step } from '../../pipeline/step.js';
import type { BuildContext } from '../context.js';
import { need } from '../context.js';

const followers = new WeakMap<BuildContext, FileFollower>();
const registered = new WeakSet<BuildContext>();

/**
 * Makes the VM's serial console reachable while the build runs: `kiln console NAME`
 * finds it through the running-builds record written here, and with --console its
 * output is streamed (from serial.log, so the socket stays free for `kiln console`).
 */
export const serialConsole: Step<BuildContext> = {
  name: 'serial-console',
  async run(ctx) {
    // Being findable is a convenience: a build does not fail over it.
    try {
      // QEMU's console is a socket; VirtualBox's COM1 writes a file only, so there is nothing to find.
      const socket = await need(ctx.vm, 'vm').serialSocket();
      if (socket) {
        const other = await registerBuild({
          name: ctx.template.name,
          pid: process.pid,
          serialSocket: socket,
          outputDir: ctx.outputDir,
          started: new Date().toISOString(),
        });
        if (other) ctx.log.warn(`another build called ${other.name} is running (pid ${other.pid}): kiln console ${other.name} reaches that one`);
        else registered.add(ctx);
      }
    } catch (error) {
      ctx.log.warn(`kiln console will not find this build: ${(error as Error).message}`);
    }
    if (ctx.options.console) {
      const follower = new FileFollower(need(ctx.serialLog, 'serialLog'), (line) => {
        const text = cleanConsoleText(line);
        if (text.trim()) ctx.emit({ type: 'serial', line: text });
      });
      follower.start();
      followers.set(ctx, follower);
    }
  },
  async cleanup(ctx) {
    await followers.get(ctx)?.stop();
    if (registered.has(ctx)) await unregisterBuild(ctx.template.name);
  },
};
