// Where a build's progress goes: human lines on stderr (Reporter), with --json also
// JSON events on stdout, with --console the guest's serial lines set apart from
// kiln's own, and with --on-error=ask the interactive menu. While the user is in a
// session inside the guest, progress lines wait (OutputGate) so they don't garble it.
import type { BuildHooks, BuildResult } from '../builder/run-build.js';
import type { BuildEvent, EventSink } from '../builder/events.js';
import { OutputGate } from '../console/output-gate.js';
import type { TerminalIo } from '../console/terminal-bridge.js';
import { KilnError } from '../errors.js';
import type { Template } from '../template/types.js';
import type { BuildArgs } from './args.js';
import { formatError } from './format-error.js';
import { JsonReporter } from './json-reporter.js';
import type { Reporter } from './reporter.js';
import { kilnVersion } from './version.js';

export interface BuildStreams {
  /** Human output; the reporter's stream. */
  stderr: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

export class BuildOutput {
  /** The build's (masked) event stream, to the terminal and --json. */
  readonly sink: EventSink;
  readonly hooks: BuildHooks;
  private readonly json?: JsonReporter;
  private readonly gate = new OutputGate();
  private readonly begin = performance.now();

  /**
   * `several`: this build runs beside others: its --json objects carry its name, and
   * `board` also receives its events (the live display on a terminal).
   */
  constructor(args: BuildArgs, template: Template, reporter: Reporter, streams: BuildStreams, several?: { name: string; board?: EventSink }) {
    const stdin = streams.stdin ?? process.stdin;
    const { stderr } = streams;
    if (args.onError === 'ask' && !stdin.isTTY) {
      throw new KilnError('E_USAGE', '--on-error=ask needs a terminal to ask on, and stdin is not one', {
        hint: 'run kiln build in a terminal, or use --on-error=abort to keep everything for inspection',
      });
    }
    if (args.json) this.json = new JsonReporter(streams.stdout ?? process.stdout, args.verbose, undefined, several?.name);
    const { gate, json } = this;
    const dim = (text: string) => (stderr.isTTY && !process.env.NO_COLOR ? `\x1b[2m${text}\x1b[22m` : text);
    const board = several?.board;
    this.sink = (event: BuildEvent) => gate.pass(() => (reporter.event(event, dim), json?.event(event), board?.(event)));
    this.hooks = {
      askOnFailure:
        args.onError === 'ask'
          ? async (failure, signal) => {
              const io: TerminalIo = { input: stdin, output: stderr };
              gate.hold();
              try {
                // Loaded here: the menu brings node-pty, a native module no other build needs.
                const { askOnFailure } = await import('../console/ask-menu.js');
                return await askOnFailure({ step: failure.step, errorText: formatError(failure.error, args.verbose), guest: failure.guest }, io, signal);
              } finally {
                gate.release();
              }
            }
          : undefined,
    };
    json?.buildStarted({ name: template.name, hypervisor: template.hypervisor, kiln_version: kilnVersion(), template: template.file });
  }

  /** A build beside others failed: its error goes to --json here, as main() does it for a lone build. */
  failed(error: unknown, exitCode: number): void {
    this.json?.error(error, exitCode);
  }

  finished(result: BuildResult): void {
    this.json?.buildFinished({ ms: performance.now() - this.begin, output_dir: result.outputDir, files: result.files });
  }
}
