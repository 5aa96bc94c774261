// `kiln bench FILE [build options]`: builds one template as `kiln build --json --force`
// does, in a child process, and prints where the time went: the guest's phases from its
// serial console (each line stamped as it arrives), kiln's steps, the whole build and
// kiln's own time (docs/benchmarks.md). A full build: give --no-cache to leave the stage
// cache out of it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStamped } from '../../bench/stamped-run.js';
import { formatSideBySide, sideBySide } from '../../bench/side-by-side.js';
import { loadBuilds } from '../../builder/load-for-build.js';
import { KilnError } from '../../errors.js';
import { parseCommandArgs } from '../args.js';

const KILN = fileURLToPath(new URL('../../../../bin/kiln.js', import.meta.url));

export async function benchCommand(argv: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const args = parseCommandArgs('build', argv);
  if (args.files.length !== 1 || args.json || args.console) {
    throw new KilnError('E_USAGE', 'kiln bench measures one template\'s build and prints its own table', {
      hint: 'kiln bench kiln.yaml [--var ...] [--only NAME] [--no-cache], without --json or --console',
    });
  }
  const { builds } = await loadBuilds(args.file, { vars: args.vars, varFiles: args.varFiles, only: args.only, except: args.except });
  const [build, ...more] = builds;
  if (!build || more.length > 0) {
    throw new KilnError('E_USAGE', `kiln bench measures one build; ${args.file} has ${builds.length}: ${builds.map((b) => b.name ?? b.template.name).join(', ')}`, {
      hint: 'choose one with --only NAME',
    });
  }
  stderr.write(`kiln bench: building ${args.file} (kiln build --json --force)\n`);
  const run = await runStamped({
    tool: 'kiln',
    command: process.execPath,
    args: [KILN, 'build', ...argv, '--json', ...(args.force ? [] : ['--force'])],
    cwd: process.cwd(),
    env: {},
    serialLog: join(build.template.output.directory, 'serial.log'),
    // --force clears the output directory first: the serial log is this build's from the VM's start.
    serialFrom: /"type":"step-started".*"step":"start-vm"/,
    onLine: (line) => progress(line, stderr),
  });
  stdout.write(`${formatSideBySide(`kiln bench ${args.file}`, sideBySide(run))}`);
  return 0;
}

/** The build's steps as they start, so a long build shows it is alive. */
function progress(line: string, stderr: NodeJS.WritableStream): void {
  const step = /"type":"step-started".*"step":"([^"]+)"/.exec(line)?.[1];
  if (step) stderr.write(`  ${step}\n`);
}
