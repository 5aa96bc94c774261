// Several builds at once (lib/parallel): each its own Reporter and --json tag; on a
// terminal one live line per build and a failed build's last lines when it fails, off
// one every line tagged `[name]`; at the end a summary table and the exit code.
import { availableParallelism, freemem } from 'node:os';
import type { BuildResult } from '../builder/run-build.js';
import { KilnError } from '../errors.js';
import { LiveBoard } from '../parallel/live-board.js';
import { defaultParallelism } from '../parallel/parallelism.js';
import { runQueued, type BuildOutcome } from '../parallel/scheduler.js';
import { summaryLines } from '../parallel/summary.js';
import { OutputTail } from '../util/output-tail.js';
import type { BuildArgs } from './args.js';
import { BuildOutput } from './build-output.js';
import { buildOne, type BuildEnvironment } from './commands/build.js';
import { EXIT, exitCodeFor } from './exit-code.js';
import { formatError } from './format-error.js';
import { JsonReporter } from './json-reporter.js';
import { lineStream } from './line-stream.js';
import { Reporter } from './reporter.js';
import type { NamedBuild } from './selected-builds.js';

/** How many lines of a failed build's output are shown with its error on a terminal. */
const TAIL_LINES = 15;

export async function buildMany(builds: NamedBuild[], args: BuildArgs, env: (index: number) => BuildEnvironment): Promise<number> {
  const { stderr, streams, signal } = env(0);
  const host = { cpus: availableParallelism(), freeMemoryMib: freemem() / 2 ** 20 };
  const parallel = args.parallel ?? defaultParallelism(host, builds.map((b) => b.template.machine));
  if (args.onError === 'ask' && parallel > 1) {
    throw new KilnError('E_USAGE', '--on-error=ask needs the terminal to itself, and several builds run at once', {
      hint: 'add --parallel 1 to ask after each failure, or use --on-error=abort to keep failed builds for inspection',
    });
  }
  // The --on-error=ask menu (--parallel 1) takes over the terminal: no live lines under it.
  const live = Boolean(stderr.isTTY) && !process.env.CI && args.onError !== 'ask';
  const board = live ? new LiveBoard(stderr, builds.map((b) => b.name)) : undefined;
  if (!live) stderr.write(`kiln: ${builds.length} builds, ${Math.min(parallel, builds.length)} at a time: ${builds.map((b) => b.name).join(', ')}\n`);

  const queued = builds.map((build, index) => ({
    name: build.name,
    run: async (own: AbortSignal): Promise<BuildResult> => {
      const tail = new OutputTail(TAIL_LINES);
      const lines = lineStream(board ? (line) => tail.push(`${line}\n`) : (line) => stderr.write(`[${build.name}] ${line}\n`));
      const reporter = new Reporter(lines, args.verbose, false);
      const output = new BuildOutput(args, build.template, reporter, { ...streams, stderr }, { name: build.name, ...(board ? { board: (e) => board.event(build.name, e) } : {}) });
      try {
        return await buildOne(build, args, { ...env(index), signal: own }, reporter, output);
      } catch (error) {
        output.failed(error, exitCodeFor(error));
        const text = formatError(error, args.verbose);
        if (board) board.print(`── ${build.name} ${own.aborted ? 'stopped' : 'failed'}; its last lines:\n${indent(tail.text())}\n${text}`);
        else stderr.write(text.split('\n').map((l) => `[${build.name}] ${l}\n`).join(''));
        throw error;
      } finally {
        reporter.stop();
      }
    },
  }));
  let outcomes: BuildOutcome<BuildResult>[];
  try {
    outcomes = await runQueued(queued, {
      parallel,
      failFast: args.failFast,
      signal,
      onStarted: (name) => board?.started(name),
      onFinished: (o) => board?.ended(o.name, o.status === 'ok' ? 'ok' : o.status === 'failed' ? 'failed' : 'cancelled', o.ms),
    });
  } finally {
    board?.stop();
  }
  const exitCode = signal.aborted ? EXIT.interrupted : outcomes.every((o) => o.status === 'ok') ? EXIT.ok : EXIT.failed;
  stderr.write(`${summaryLines(outcomes).join('\n')}\n`);
  if (args.json) {
    const json = new JsonReporter(streams.stdout ?? process.stdout);
    json.summary(outcomes.map((o) => ({ name: o.name, status: o.status, ms: o.ms, ...(o.result ? { output_dir: o.result.outputDir, files: o.result.files.map((f) => f.file) } : {}) })), exitCode);
  }
  return exitCode;
}

const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n');
