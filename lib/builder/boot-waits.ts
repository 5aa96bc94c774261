// The waits of the boot phase: boot.wait (a fixed time, or `auto`: until the screen
// stops changing) and the boot command's <waitHttp>, <waitSerial> and <waitScreen>.
// Each reports what it saw and how long it took, in the log and as an event.
import { join } from 'node:path';
import { KilnError } from '../errors.js';
import type { BootAction } from '../keyboard/parse.js';
import { waitForScreenText } from '../screen/wait-screen.js';
import { AUTO_WAIT, waitForSettledScreen } from '../screen/wait-settled.js';
import { formatDuration } from '../util/duration.js';
import { sleep } from '../util/sleep.js';
import type { BuildContext } from './context.js';
import { need } from './context.js';
import { SerialWatch } from './serial-watch.js';

const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

export async function bootWait(ctx: BuildContext, wait: number | 'auto', signal: AbortSignal): Promise<void> {
  if (wait === 'auto') {
    ctx.log.info(`boot.wait auto: waiting for the screen to stay unchanged for ${formatDuration(AUTO_WAIT.settleMs)} (at most ${formatDuration(AUTO_WAIT.maxMs)})`);
    const vm = need(ctx.vm, 'vm');
    const result = await guard(ctx, waitForSettledScreen(vm, { scratchPpm: join(need(ctx.workDir, 'workDir'), 'auto-wait.ppm'), signal }));
    if (result.settled) ctx.log.info(`boot.wait auto: the screen settled; waited ${formatDuration(result.ms)}`);
    else ctx.log.warn(`boot.wait auto: the screen kept changing for ${formatDuration(result.ms)}; typing anyway`);
    ctx.emit({ type: 'boot-wait', mode: 'auto', ms: Math.round(result.ms), settled: result.settled });
    return;
  }
  if (wait > 0) {
    ctx.log.info(`waiting ${formatDuration(wait)} (boot.wait)`);
    await sleep(wait, signal);
  }
  ctx.emit({ type: 'boot-wait', mode: 'fixed', ms: wait });
}

/** Performs the boot command's waits; one per build, so <waitSerial> resumes after its last match. */
export class BootWaits {
  private readonly serial: SerialWatch;
  private readonly timeoutMs: number;

  /** `timeoutMs`: how long each wait may take (ssh.timeout, else 30 minutes). */
  constructor(
    private readonly ctx: BuildContext,
    private readonly signal: AbortSignal,
    timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
  ) {
    this.serial = new SerialWatch(need(ctx.vm, 'vm').serialLog);
    this.timeoutMs = timeoutMs;
  }

  async perform(action: Extract<BootAction, { kind: 'waitHttp' | 'waitSerial' | 'waitScreen' }>): Promise<void> {
    const { ctx, signal, timeoutMs } = this;
    const begin = performance.now();
    const took = () => Math.round(performance.now() - begin);
    switch (action.kind) {
      case 'waitHttp': {
        ctx.log.info(`waiting for the guest to fetch ${action.path}`);
        const http = need(ctx.http, 'http server (waitHttp needs http.directory or http.content)');
        const r = await guard(ctx, http.waitForRequest(action.path, { signal, timeoutMs }));
        ctx.log.info(`guest ${r.remote}${r.userAgent ? ` (${r.userAgent})` : ''} fetched ${r.path}: ${r.status}, ${r.bytes} bytes, after ${formatDuration(took())}`);
        ctx.emit({ type: 'wait', kind: 'http', target: action.path, ms: took(), detail: { remote: r.remote, user_agent: r.userAgent, status: r.status, bytes: r.bytes } });
        return;
      }
      case 'waitSerial': {
        const shown = action.regex ? `/${action.text}/` : JSON.stringify(action.text);
        ctx.log.info(`waiting for the serial console to print ${shown}`);
        const pattern = action.regex ? new RegExp(action.text) : action.text;
        const match = await guard(ctx, this.serial.waitFor(pattern, { timeoutMs, signal }));
        ctx.log.info(`serial console printed ${JSON.stringify(match)} after ${formatDuration(took())}`);
        ctx.emit({ type: 'wait', kind: 'serial', target: shown, ms: took(), detail: { match } });
        return;
      }
      case 'waitScreen': {
        ctx.log.info(`waiting for the screen to show ${JSON.stringify(action.text)} (OCR)`);
        const vm = need(ctx.vm, 'vm');
        const result = await guard(ctx, waitForScreenText(vm, action.text, { scratchDir: need(ctx.workDir, 'workDir'), timeoutMs, signal }));
        ctx.log.info(`the screen shows ${JSON.stringify(action.text)} after ${formatDuration(took())} (${result.reads} OCR read${result.reads === 1 ? '' : 's'})`);
        ctx.emit({ type: 'wait', kind: 'screen', target: action.text, ms: took(), detail: { reads: result.reads } });
        return;
      }
    }
  }
}

/** A wait that cannot succeed once the VM has stopped fails at once, with the hypervisor's last words. */
export async function guard<T>(ctx: BuildContext, waiting: Promise<T>): Promise<T> {
  const vm = need(ctx.vm, 'vm');
  const died = vm.exited.then(() => {
    throw new KilnError(vm.stoppedCode, 'the VM stopped while kiln was waiting on it', {
      hint: `see serial.log in ${ctx.outputDir}${vm.stderrTail() ? `; ${vm.label} said: ${vm.stderrTail()}` : ''}`,
    });
  });
  died.catch(() => {}); // only observed when it wins the race
  return Promise.race([waiting, died]);
}
