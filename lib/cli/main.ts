// The CLI edge: argv in, exit code out. Heavy modules are imported lazily so that
// `kiln --version` and `kiln --help` start fast.
import { KilnError } from '../errors.js';
import { EXIT, exitCodeFor } from './exit-code.js';
import { USAGE } from './usage.js';
import { kilnVersion } from './version.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    io.stdout.write(`${kilnVersion()}\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(USAGE);
    return command === undefined ? EXIT.invalid : EXIT.ok;
  }
  let verbose = false;
  let json = false; // kiln build --json: the error is a JSON event on stdout too
  const controller = new AbortController();
  const onSignal = (name: string) => () => {
    if (controller.signal.aborted) {
      io.stderr.write(`\nkiln: ${name} again: exiting without cleanup\n`);
      process.exit(EXIT.interrupted);
    }
    io.stderr.write(`\nkiln: ${name}: stopping and cleaning up (press Ctrl-C again to exit at once)\n`);
    controller.abort();
  };
  const onInt = onSignal('interrupted');
  const onTerm = onSignal('terminated');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const { parseCommandArgs } = await import('./args.js');
    switch (command) {
      case 'build': {
        const args = parseCommandArgs('build', rest);
        verbose = args.verbose;
        json = args.json;
        const { buildCommand } = await import('./commands/build.js');
        return await buildCommand(args, controller.signal, io.stderr, { stdout: io.stdout, stdin: io.stdin });
      }
      case 'bench': {
        const { benchCommand } = await import('./commands/bench.js');
        return await benchCommand(rest, io.stdout, io.stderr);
      }
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.js');
        return await validateCommand(parseCommandArgs('validate', rest), io.stdout, io.stderr);
      }
      case 'fetch': {
        const { fetchCommand } = await import('./commands/fetch.js');
        return await fetchCommand(parseCommandArgs('fetch', rest), controller.signal, io.stdout, io.stderr);
      }
      case 'bundle': {
        const { bundleCommand } = await import('./commands/bundle.js');
        return await bundleCommand(rest, { stdout: io.stdout, stderr: io.stderr }, controller.signal);
      }
      case 'inspect': {
        const { inspectCommand } = await import('./commands/inspect.js');
        return await inspectCommand(parseCommandArgs('inspect', rest), io.stdout, io.stderr);
      }
      case 'import': {
        const { importCommand } = await import('./commands/import.js');
        return await importCommand(parseCommandArgs('import', rest), io.stdout);
      }
      case 'console': {
        const { consoleCommand } = await import('./commands/console.js');
        return await consoleCommand(rest, controller.signal, { stdin: io.stdin ?? process.stdin, stdout: io.stdout, stderr: io.stderr });
      }
      case 'init': {
        const { initCommand } = await import('./commands/init.js');
        return await initCommand(rest, io.stdout, controller.signal);
      }
      case 'cache': {
        const { cacheCommand } = await import('./commands/cache.js');
        return await cacheCommand(rest, io.stdout);
      }
      case 'publish': {
        const { publishCommand } = await import('./commands/publish.js');
        return await publishCommand(rest, { stdout: io.stdout, stderr: io.stderr, ...(io.stdin ? { stdin: io.stdin } : {}) }, controller.signal);
      }
      case 'pull': {
        const { pullCommand } = await import('./commands/pull.js');
        return await pullCommand(rest, { stdout: io.stdout, ...(io.stdin ? { stdin: io.stdin } : {}) }, controller.signal);
      }
      default:
        throw new KilnError('E_USAGE', `unknown command "${command}"`, { hint: 'run kiln --help for the commands' });
    }
  } catch (error) {
    const { formatError } = await import('./format-error.js');
    io.stderr.write(`${formatError(error, verbose)}\n`);
    if (json) new (await import('./json-reporter.js')).JsonReporter(io.stdout).error(error, exitCodeFor(error));
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
