import { findRunningBuild } from '../../console/running-builds.js';
import { attachSerialConsole } from '../../console/serial-attach.js';
import { DETACH_KEY_NAME } from '../../console/terminal-bridge.js';
import { KilnError } from '../../errors.js';
import { parseUsage } from '../args.js';

export interface ConsoleIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** `kiln console [NAME]`: the terminal becomes the serial console of a running build's VM until Ctrl-]. */
export async function consoleCommand(argv: string[], signal: AbortSignal, io: ConsoleIo): Promise<number> {
  const { positionals } = parseUsage({ args: argv, allowPositionals: true, options: {} }, 'kiln console [NAME]');
  if (positionals.length > 1) throw new KilnError('E_USAGE', `kiln console takes at most one build name, got ${positionals.length}`, { hint: 'kiln console NAME' });
  const build = await findRunningBuild(positionals[0]);
  io.stderr.write(`kiln: serial console of ${build.name} (kiln pid ${build.pid}); ${DETACH_KEY_NAME} detaches, press Enter for a prompt\n`);
  const end = await attachSerialConsole(build.serialSocket, { input: io.stdin, output: io.stdout }, signal);
  io.stderr.write(end === 'detached' ? `\nkiln: detached from ${build.name}\n` : `\nkiln: the console of ${build.name} closed (the VM stopped)\n`);
  return 0;
}
