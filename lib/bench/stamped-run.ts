// Runs one build (kiln or Packer) and reads it as it happens: its output lines and its
// guest's serial log, each line stamped on one clock that starts with the process.
// `kiln bench` runs kiln's build this way; the project's bench runs both tools.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { guestEvents } from './guest-phases.js';
import { kilnMarks, packerMarks } from './host-steps.js';
import type { ToolRun } from './side-by-side.js';
import { followStamped, formatStamped, stampStream, type StampedLine } from './stamped-lines.js';

export interface StampedRun extends ToolRun {
  serial: StampedLine[];
  output: StampedLine[];
}

export interface RunSpec {
  tool: 'kiln' | 'packer';
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The guest's serial log, as the tool writes it. */
  serialLog: string;
  /**
   * Follow the serial log from the first output line that matches this (the VM's start)
   * rather than from the start: an earlier build's log may be there until the tool clears it.
   */
  serialFrom?: RegExp;
  /** Passed each output line as it comes (a progress display). */
  onLine?: (line: string) => void;
  /** Where to keep the stamped serial log and output ("<name>.serial.txt", "<name>.out.txt"). */
  keep?: { dir: string; name: string };
}

export async function runStamped(spec: RunSpec): Promise<StampedRun> {
  const origin = performance.now();
  let serial = spec.serialFrom ? undefined : followStamped(spec.serialLog, origin);
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: StampedLine[] = [];
  stampStream(child.stdout, origin, output, (line) => {
    if (!serial && spec.serialFrom?.test(line)) serial = followStamped(spec.serialLog, origin);
    spec.onLine?.(line);
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wholeMs = performance.now() - origin;
  const serialLines = serial ? await serial.stop() : [];
  if (spec.keep) {
    await writeFile(join(spec.keep.dir, `${spec.keep.name}.serial.txt`), formatStamped(serialLines));
    await writeFile(join(spec.keep.dir, `${spec.keep.name}.out.txt`), formatStamped(output));
  }
  if (code !== 0) {
    const tail = output.slice(-20).map((l) => l.text).join('\n');
    throw new Error(`${spec.tool} build in ${spec.cwd} failed (exit ${code}):\n${tail}\n${stderr.slice(-4000)}`);
  }
  const marks = spec.tool === 'kiln' ? kilnMarks(output) : packerMarks(output);
  return { wholeMs, marks, guest: guestEvents(serialLines), serial: serialLines, output };
}
