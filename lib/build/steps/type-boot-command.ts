import { KilnError } from '../../errors.js';
import { heldAtEnd } from '../../keyboard/held.js';
import { parseBootCommand, type BootAction } from '../../keyboard/parse.js';
import type { Step } from '../../pipeline/step.js';
import { renderPlaceholders } from '../../template/render.js';
import { formatDuration } from '../../util/duration.js';
import { sleep } from '../../util/sleep.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';
import { SerialWatch } from '../serial-watch.js';

const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

/** Waits boot.wait, then types the boot command through the hypervisor's keyboard. */
export const typeBootCommand: Step<BuildContext> = {
  name: 'boot-command',
  async run(ctx, signal) {
    const { boot } = ctx.template;
    // 'auto' is refused at load time (unsupported.ts) until screen watching exists.
    if (typeof boot.wait === 'number' && boot.wait > 0) {
      ctx.log.info(`waiting ${formatDuration(boot.wait)} (boot.wait)`);
      await sleep(boot.wait, signal);
    }
    const source = renderPlaceholders(boot.command.join(''), placeholderValues(ctx));
    const actions = parseBootCommand(source);
    const vm = need(ctx.vm, 'vm');
    const serial = new SerialWatch(need(ctx.serialLog, 'serialLog'));
    const waitTimeoutMs = ctx.template.ssh?.timeout_ms ?? DEFAULT_WAIT_TIMEOUT_MS;
    const stats = { keys: 0, typingMs: 0 };
    let done = 0;
    try {
      for (const action of actions) {
        await perform(ctx, action, signal, serial, waitTimeoutMs, stats);
        done++;
      }
    } finally {
      // Keys the command left held (<leftCtrlOn> with no Off, or a cut-short command)
      // are released so the guest is not left with a stuck modifier.
      const release = heldAtEnd(actions.slice(0, done));
      if (release.length > 0) await vm.sendKeyEvents(release).catch(() => {});
    }
    const { keys, typingMs } = stats;
    ctx.typing = { keys, ms: typingMs };
    const rate = typingMs > 0 ? Math.round((keys * 1000) / typingMs) : 0;
    ctx.log.info(`typed ${keys} keys in ${formatDuration(typingMs)} (${rate} keys/s)`);
  },
};

async function perform(
  ctx: BuildContext,
  action: BootAction,
  signal: AbortSignal,
  serial: SerialWatch,
  waitTimeoutMs: number,
  stats: { keys: number; typingMs: number },
): Promise<void> {
  const { boot } = ctx.template;
  const vm = need(ctx.vm, 'vm');
  switch (action.kind) {
    case 'keys': {
      // Paced against a deadline (not sleep-after-send), so QMP round trips and timer
      // slack don't add up: a 4ms interval really types ~250 keys/s.
      const begin = performance.now();
      await vm.sendKeyEvents(action.events);
      stats.keys++;
      const remaining = boot.key_interval_ms - (performance.now() - begin);
      if (remaining >= 1) await sleep(remaining, signal);
      stats.typingMs += performance.now() - begin;
      break;
    }
    case 'wait':
      await sleep(action.ms, signal);
      break;
    case 'waitHttp': {
      ctx.log.info(`waiting for the guest to fetch ${action.path}`);
      const http = need(ctx.http, 'http server (waitHttp needs http.directory or http.content)');
      const request = await guard(ctx, http.waitForRequest(action.path, { signal, timeoutMs: waitTimeoutMs }));
      ctx.log.info(`guest fetched ${request.path} (${request.bytes} bytes)`);
      break;
    }
    case 'waitSerial': {
      const pattern = action.regex ? new RegExp(action.text) : action.text;
      ctx.log.info(`waiting for the serial console to print ${action.regex ? `/${action.text}/` : JSON.stringify(action.text)}`);
      await guard(ctx, serial.waitFor(pattern, { timeoutMs: waitTimeoutMs, signal }));
      break;
    }
    case 'waitScreen':
      // Refused at load time (unsupported.ts); reaching here is a bug.
      throw new KilnError('E_BOOT', '<waitScreen> is not supported in this version');
  }
}

/** A wait that cannot succeed once QEMU has exited fails at once, with QEMU's last words. */
async function guard<T>(ctx: BuildContext, waiting: Promise<T>): Promise<T> {
  const vm = need(ctx.vm, 'vm');
  const died = vm.exited.then(() => {
    throw new KilnError('E_QEMU', 'the VM stopped while kiln was waiting on it', {
      hint: `see serial.log in ${ctx.outputDir}${vm.stderrTail() ? `; QEMU said: ${vm.stderrTail()}` : ''}`,
    });
  });
  return Promise.race([waiting, died]);
}

