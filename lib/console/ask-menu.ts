// --on-error=ask: after a failure, with the VM still running, the user decides what
// happens: look around in the guest (shell, serial console) as often as needed, then
// retry the failed step, clean up, or stop and keep every file.
import { CancelledError } from '../errors.js';
import type { FailureDecision } from '../pipeline/step.js';
import { openGuestShell, openSerial, type GuestAccess } from './guest-shell.js';
import { readLine } from './read-line.js';
import type { TerminalIo } from './terminal-bridge.js';

export interface AskRequest {
  step: string;
  /** The error as the CLI prints it. */
  errorText: string;
  guest: GuestAccess;
}

interface Choice {
  key: string;
  label: string;
  action: 'shell' | 'console' | FailureDecision;
}

/** The menu for a failed `step`; the sessions are offered only while the VM runs. */
export function menuChoices(step: string, vmRunning: boolean): Choice[] {
  return [
    ...(vmRunning
      ? [
          { key: 's', label: 'open a shell in the guest (SSH, or the serial console when SSH does not answer)', action: 'shell' as const },
          { key: 'c', label: 'attach to the serial console', action: 'console' as const },
        ]
      : []),
    { key: 'r', label: `retry step ${step}`, action: 'retry' },
    { key: 'k', label: 'clean up: stop the VM, delete the work files, and exit (default)', action: 'cleanup' },
    { key: 'a', label: 'abort: stop the VM, keep every file for inspection, and exit', action: 'keep-files' },
  ];
}

/** The choice a typed answer names: its key or the first word of its label; empty is clean up. */
export function parseChoice(answer: string, choices: Choice[]): Choice | undefined {
  const word = answer.trim().toLowerCase();
  if (word === '') return choices.find((c) => c.action === 'cleanup');
  return choices.find((c) => c.key === word || c.label.split(/[ :]/)[0] === word || c.action === word);
}

export async function askOnFailure(request: AskRequest, io: TerminalIo, signal?: AbortSignal): Promise<FailureDecision> {
  const say = (text: string) => void io.output.write(`${text}\n`);
  say(`\n${request.errorText}\n`);
  for (;;) {
    const running = await request.guest.running();
    const choices = menuChoices(request.step, running);
    say(`kiln: step ${request.step} failed; ${running ? 'the VM is still running' : 'the VM has stopped'}. What now?`);
    for (const c of choices) say(`  ${c.key}  ${c.label}`);
    io.output.write(`choice [${choices.map((c) => c.key).join('/')}]: `);
    const answer = await readLine(io.input, signal);
    if (answer === undefined) {
      say('\nkiln: no answer (end of input): cleaning up');
      return 'cleanup';
    }
    const choice = parseChoice(answer, choices);
    if (!choice) {
      say(`kiln: "${answer.trim()}" is not one of the choices`);
      continue;
    }
    if (choice.action !== 'shell' && choice.action !== 'console') return choice.action;
    try {
      const end = choice.action === 'shell' ? await openGuestShell(request.guest, io, signal) : await openSerial(request.guest, io, signal);
      say(`\nkiln: ${end === 'detached' ? 'detached from' : 'the session ended in'} ${request.guest.name}`);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      say(`kiln: could not open the session: ${(error as Error).message}`);
    }
  }
}
