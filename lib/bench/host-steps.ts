// The host's steps of one build, as marks on the same clock as the guest's serial lines:
// kiln's from its --json events (step-started, keys), Packer's from the "==> qemu: ..."
// lines it prints as each step begins. Each step lasts until the next mark; the last
// until the build's end. Pure.
import type { Span } from './guest-phases.js';
import type { StampedLine } from './stamped-lines.js';

export interface Mark {
  label: string;
  ms: number;
}

/** kiln's steps under the names both tools' rows share; a step not listed keeps its own name. */
const KILN_LABELS: Record<string, string> = {
  'prepare-output': 'prepare',
  'fetch-source': 'prepare',
  cache: 'prepare',
  'ssh-key': 'prepare',
  'http-server': 'prepare',
  'create-disk': 'prepare',
  'cloud-init-seed': 'prepare',
  'start-vm': 'start VM',
  'serial-console': 'start VM',
  'boot-command': 'boot wait',
  'wait-ssh': 'wait for SSH',
  provision: 'provision',
  shutdown: 'shutdown',
  export: 'export',
  'vagrant-box': 'box',
};

/** Packer 1.6's qemu builder: the line that starts each step. */
const PACKER_MARKS: readonly { label: string; pattern: RegExp }[] = [
  { label: 'start VM', pattern: /==> \S+: Starting VM/ },
  { label: 'boot wait', pattern: /==> \S+: Waiting \S+ for boot/ },
  { label: 'typing', pattern: /==> \S+: Typing the boot command/ },
  { label: 'wait for SSH', pattern: /==> \S+: Waiting for SSH to become available/ },
  { label: 'provision', pattern: /==> \S+: Connected to SSH!/ },
  { label: 'shutdown', pattern: /==> \S+: Gracefully halting virtual machine/ },
  { label: 'export', pattern: /==> \S+: Converting hard drive/ },
  { label: 'box', pattern: /==> \S+: Running post-processor: vagrant/ },
];

/** Steps whose time is the guest's (booting, installing, the user's provisioning, powering off). */
export const GUEST_BOUND_STEPS = new Set(['wait for SSH', 'wait-cloud-init', 'provision', 'shutdown']);

/**
 * kiln's marks from its --json lines: each step's start, and typing's start inside
 * boot-command. A live checkpoint inside another step (after each provisioner), and a
 * wait for a memory checkpoint to be written, are kiln's own time: they become
 * `checkpoint` marks, the step resuming after them.
 */
export function kilnMarks(lines: readonly StampedLine[]): Mark[] {
  const marks: Mark[] = [{ label: 'prepare', ms: 0 }];
  const checkpoints: { from: number; to: number }[] = [];
  for (const line of lines) {
    let event: { type?: string; step?: string; status?: string; ms?: number; kind?: string };
    try {
      event = JSON.parse(line.text) as typeof event;
    } catch {
      continue;
    }
    if (event.type === 'step-started' && event.step) marks.push({ label: KILN_LABELS[event.step] ?? event.step, ms: line.ms });
    // The first typed line's event comes after it was typed: typing began `ms` before.
    if (event.type === 'keys' && typeof event.ms === 'number' && !marks.some((m) => m.label === 'typing')) {
      marks.push({ label: 'typing', ms: line.ms - event.ms });
    }
    const checkpointWait = event.type === 'snapshot' || (event.type === 'wait' && event.kind === 'checkpoint');
    if (checkpointWait && typeof event.ms === 'number') checkpoints.push({ from: line.ms - event.ms, to: line.ms });
  }
  const steps = marks.sort((a, b) => a.ms - b.ms).slice();
  for (const { from, to } of checkpoints) {
    // Lines are stamped as read (every 50 ms): a step that seems to start within the wait started before it.
    const late = steps.findLast((m) => m.ms > from && m.ms < to);
    const during = late ?? steps.findLast((m) => m.ms <= from);
    if (!during || during.label === 'checkpoint') continue; // the install checkpoint is a step of its own
    marks.push({ label: 'checkpoint', ms: late ? late.ms : from });
    // The step resumes after the wait unless the next one started as it ended (stamped together).
    if (!steps.some((m) => m.ms === to)) marks.push({ label: during.label, ms: to });
  }
  return marks.sort((a, b) => a.ms - b.ms);
}

/** Packer's marks from its stamped output. */
export function packerMarks(lines: readonly StampedLine[]): Mark[] {
  const marks: Mark[] = [{ label: 'prepare', ms: 0 }];
  for (const line of lines) {
    const found = PACKER_MARKS.find((m) => m.pattern.test(line.text));
    if (found && !marks.some((m) => m.label === found.label)) marks.push({ label: found.label, ms: line.ms });
  }
  return marks;
}

/** Steps from marks: each until the next mark or `endMs`; marks with one label in a row are one step. */
export function hostSteps(marks: readonly Mark[], endMs: number): Span[] {
  const spans: Span[] = [];
  marks.forEach((mark, i) => {
    const ms = (marks[i + 1]?.ms ?? endMs) - mark.ms;
    const last = spans.at(-1);
    const same = spans.find((s) => s.label === mark.label);
    if (last && last.label === mark.label) last.ms += ms;
    else if (same) same.ms += ms;
    else spans.push({ label: mark.label, ms });
  });
  return spans;
}

/** The time a tool spends outside the guest's own work: the whole build less the guest-bound steps. */
export function ownTime(steps: readonly Span[], wholeMs: number): number {
  return wholeMs - steps.filter((s) => GUEST_BOUND_STEPS.has(s.label)).reduce((sum, s) => sum + s.ms, 0);
}

/** When the VM started, for the first guest row (VM start → kernel). */
export const vmStart = (marks: readonly Mark[]) => marks.find((m) => m.label === 'start VM')?.ms;
