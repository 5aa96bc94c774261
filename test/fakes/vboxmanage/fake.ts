// The fake VBoxManage (see main.ts for the executable, install.ts for tests). It keeps
// a simulated VirtualBox in the JSON file FAKE_VBOX_STATE and pretends to be the
// version in FAKE_VBOX_VERSION (default 7.0.14r161095). FAKE_VBOX_TYPED_LOG, when set,
// receives every decoded keyboardputscancode call. It accepts only the command lines
// grammar.ts describes and answers in VBoxManage's output shapes and exit codes.

import { setTimeout as sleep } from 'node:timers/promises';
import { closemedium, createmedium, storageattach, storagectl } from './cmd-storage.js';
import { controlvm, startvm } from './cmd-control.js';
import { exportAppliance } from './cmd-export.js';
import { showvminfo } from './cmd-info.js';
import { modifyvm } from './cmd-modifyvm.js';
import { createvm, list, unregistervm } from './cmd-vm.js';
import type { Ctx, Handler } from './context.js';
import { parseFakeVersion } from './grammar.js';
import { USAGE } from './usage.js';
import { Exit, plainError, syntaxError } from './output.js';
import { claimHold, holdHere } from './hold.js';
import { advance, clock, readState, withLock, writeState, type FakeState } from './state.js';

const COMMANDS: Record<string, Handler> = {
  createvm,
  modifyvm,
  storagectl,
  storageattach,
  createmedium,
  createhd: (ctx, args) => createmedium(ctx, ['disk', ...args]),
  closemedium,
  startvm,
  controlvm,
  showvminfo,
  unregistervm,
  export: exportAppliance,
  list,
};

export interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One VBoxManage call: what it prints and its exit code. */
export async function runFake(argv: string[], env: NodeJS.ProcessEnv): Promise<FakeRun> {
  const out = { stdout: '', stderr: '' };
  const code = await dispatch(argv, env, out);
  return { code, ...out };
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv, io: { stdout: string; stderr: string }): Promise<number> {
  const version = parseFakeVersion(env.FAKE_VBOX_VERSION || '7.0.14r161095');
  const statePath = env.FAKE_VBOX_STATE;
  const fail = (exit: Exit): number => {
    io.stdout += exit.stdout;
    io.stderr += exit.stderr;
    return exit.code;
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (['-v', '-V', '--version', '-version', '-Version'].includes(arg)) {
      io.stdout += `${version.full}\n`;
      return 0;
    }
    if (arg === '-q' || arg === '--nologo' || arg === '-nologo') continue;
    if (arg.startsWith('@')) return fail(plainError('the fake VBoxManage does not read response files', 1));
    break;
  }
  const name = argv[i];
  const args = argv.slice(i + 1);
  if (!statePath) return fail(plainError('FAKE_VBOX_STATE is not set: the fake VBoxManage needs a state file', 1));
  if (name === undefined) return fail(syntaxError(version, USAGE.createvm!, 'No command given'));
  const handler = COMMANDS[name];
  if (!handler) return fail(syntaxError(version, '', `Invalid command '${name}'`));
  if (args.length === 0 && USAGE[name]) {
    io.stdout += USAGE[name]!;
    return 1; // VBoxManage prints the usage of a command given without arguments, and fails
  }
  const hook = (config: FakeState['config'], when: 'before' | 'after') =>
    config.delay?.find((d) => d.when === when && d.command === name && (!d.subcommand || d.subcommand === args[1]));
  const delayBefore = hook(readState(statePath).config, 'before');
  // Asleep, not blocked: a signal (kiln killing the call) ends the process meanwhile.
  if (delayBefore) await sleep(delayBefore.ms);
  if (claimed(statePath, (config) => claimHold(config, name, args, 'before'))) await holdHere(statePath, argv);

  let holdAfter = false;
  const ctx: Ctx = { version, env, state: undefined as unknown as FakeState, statePath, now: 0, stdout: '', stderr: '', after: [] };
  const exit = withLock(statePath, () => {
    ctx.state = readState(statePath);
    ctx.now = clock(ctx.state);
    advance(ctx.state, ctx.now);
    let code = 0;
    try {
      injectedFailure(ctx.state, name, args);
      handler(ctx, args);
    } catch (error) {
      if (!(error instanceof Exit)) throw error;
      ctx.stdout += error.stdout && !ctx.stdout.endsWith(error.stdout) ? error.stdout : '';
      ctx.stderr += error.stderr;
      code = error.code;
      // A failed call saves none of its half-made changes (VirtualBox discards an
      // unsaved session machine); only the fail hook's countdown survives.
      const fail = ctx.state.config.fail;
      ctx.state = readState(statePath);
      advance(ctx.state, ctx.now);
      ctx.state.config.fail = fail;
    }
    ctx.state.calls.push({ argv, exit: code, at: ctx.now });
    holdAfter = claimHold(ctx.state.config, name, args, 'after');
    writeState(statePath, ctx.state);
    return code;
  });
  io.stdout += ctx.stdout;
  io.stderr += ctx.stderr;
  if (exit === 0) for (const task of ctx.after) await task();
  const delayAfter = hook(ctx.state.config, 'after');
  if (delayAfter) await sleep(delayAfter.ms);
  if (holdAfter) await holdHere(statePath, argv);
  return exit;
}

/** Runs `claim` on the config under the lock, saving what it counted down. */
function claimed(statePath: string, claim: (config: FakeState['config']) => boolean): boolean {
  if (!readState(statePath).config.hold) return false;
  return withLock(statePath, () => {
    const state = readState(statePath);
    if (!claim(state.config)) return false;
    writeState(statePath, state);
    return true;
  });
}

/** Test hook: config.fail makes the next matching calls fail like a VirtualBox error. */
function injectedFailure(state: FakeState, command: string, args: string[]): void {
  const rule = state.config.fail?.find((f) => f.command === command && (!f.subcommand || f.subcommand === args[1]) && (f.times ?? 1) > 0);
  if (!rule) return;
  rule.times = (rule.times ?? 1) - 1;
  throw new Exit(1, `VBoxManage: error: ${rule.message}\nVBoxManage: error: Details: code VBOX_E_IPRT_ERROR (0x80bb0005), component SessionMachine, interface IMachine, callee nsISupports\n`);
}
