import { heldAtEnd } from '../../keyboard/held.js';
import type { TypingStep } from '../../hypervisor/build-vm.js';
import type { Step } from '../../pipeline/step.js';
import { renderPlaceholders } from '../../template/render.js';
import { formatDuration } from '../../util/duration.js';
import { sleep } from '../../util/sleep.js';
import { parseBootLines } from '../boot-lines.js';
import { BootWaits, bootWait } from '../boot-waits.js';
import type { Template } from '../../template/types.js';
import type { BuildContext } from '../context.js';
import { need, placeholderValues } from '../context.js';
import { takeScreenshot } from '../screenshots.js';

/**
 * Waits boot.wait (a time, or `auto`: until the screen settles), then types the boot
 * command through the hypervisor's keyboard (boot.key_interval between keyboard calls), line by line: keys per line are reported,
 * and with --screenshots the screen is saved before typing and after each line.
 */
export interface BootCommandOptions {
  boot: Template['boot'];
  /** How long each watchful wait may take. */
  waitTimeoutMs?: number;
  /** --screenshots: the screen before typing and after each line. */
  screenshots: boolean;
}

export function typeBootCommand(options: BootCommandOptions): Step<BuildContext> {
  const { boot, screenshots } = options;
  return {
  name: 'boot-command',
  async run(ctx, signal) {
    await bootWait(ctx, boot.wait, signal);
    const values = placeholderValues(ctx);
    const { actions, lineEnds } = parseBootLines(boot.command, (text) => renderPlaceholders(text, values));
    const vm = need(ctx.vm, 'vm');
    const waits = new BootWaits(ctx, signal, options.waitTimeoutMs);
    const total = { keys: 0, typingMs: 0 };
    const line = { keys: 0, typingMs: 0 };
    // Lines ending inside a form (undefined) have no boundary: their keys count with the next line.
    const ends = lineEnds.flatMap((end, i) => (end === undefined ? [] : [{ number: i + 1, end }]));
    let reported = 0;
    const reportLines = async (done: number) => {
      for (; reported < ends.length && ends[reported]!.end <= done; reported++) {
        const { number } = ends[reported]!;
        ctx.emit({ type: 'keys', line: number, keys: line.keys, ms: Math.round(line.typingMs) });
        if (screenshots) await takeScreenshot(ctx, `boot-${String(number).padStart(2, '0')}.png`, 'boot-line');
        line.keys = 0;
        line.typingMs = 0;
      }
    };

    if (screenshots) await takeScreenshot(ctx, 'boot-00.png', 'before-typing');
    let done = 0;
    try {
      await reportLines(0);
      for (const step of vm.planTyping(actions, ends.map((e) => e.end))) {
        if (step.kind === 'send') {
          const ms = await typeKeys(step, boot.key_interval_ms, signal);
          for (const counter of [total, line]) {
            counter.keys += step.keys;
            counter.typingMs += ms;
          }
        } else if (step.action.kind === 'wait') {
          await sleep(step.action.ms, signal);
        } else {
          await waits.perform(step.action);
        }
        done = step.end;
        await reportLines(done);
      }
    } finally {
      // Keys the command left held (<leftCtrlOn> with no Off, or a cut-short command)
      // are released so the guest is not left with a stuck modifier.
      const release = heldAtEnd(actions.slice(0, done));
      // A VM that is gone holds no keys; the typing error, if any, is the one to report.
      if (release.length > 0) await vm.sendKeyEvents(release).catch(() => {});
    }
    ctx.typing = { keys: total.keys, ms: total.typingMs };
    const rate = total.typingMs > 0 ? Math.round((total.keys * 1000) / total.typingMs) : 0;
    ctx.log.info(`typed ${total.keys} keys in ${formatDuration(total.typingMs)} (${rate} keys/s)`);
  },
  };
}

/** Sends one keyboard call (a key press under QEMU, a few under VirtualBox); returns the time it took including the pacing pause. */
async function typeKeys(step: Extract<TypingStep, { kind: 'send' }>, intervalMs: number, signal: AbortSignal): Promise<number> {
  // Paced against a deadline (not sleep-after-send), so QMP round trips and timer
  // slack don't add up: a 4ms interval really types ~250 keys/s.
  const begin = performance.now();
  await step.send(signal);
  const remaining = intervalMs - (performance.now() - begin);
  if (remaining >= 1) await sleep(remaining, signal);
  return performance.now() - begin;
}
