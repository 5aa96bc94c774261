// The screen waits against a scripted screen: boot.wait auto and <waitScreen>.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CancelledError } from '../../lib/errors.js';
import { saveScreenshot } from '../../lib/screen/capture.js';
import { decodePng } from '../../lib/screen/png.js';
import { waitForScreenText } from '../../lib/screen/wait-screen.js';
import { waitForSettledScreen } from '../../lib/screen/wait-settled.js';
import { fakeScreen } from './fake-screen.js';
import { solidFrame, textScreen } from './frames.js';
import { kilnRejection, rejection } from '../helpers/rejection.js';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-screen-test-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('waitForSettledScreen returns once the screen stops changing, and says how long it took', async () => {
  // Blank, then a boot screen that keeps changing until 300 ms, then the prompt for good.
  const begin = performance.now();
  const screen = fakeScreen((n) => {
    const t = performance.now() - begin;
    return t < 100 ? solidFrame(720, 400) : t < 300 ? textScreen(1 + (n % 5)) : textScreen(8);
  });
  const result = await waitForSettledScreen(screen, { scratchPpm: join(dir, 'a.ppm'), settleMs: 100, pollMs: 10, maxMs: 5000 });
  assert.ok(result.settled);
  assert.ok(result.ms >= 400 && result.ms < 4000, `${result.ms} ms`);
  assert.ok(result.frames > 3);
});

test('waitForSettledScreen gives up at maxMs on a screen that keeps changing', async () => {
  const screen = fakeScreen((n) => textScreen(1 + (n % 10)));
  const result = await waitForSettledScreen(screen, { scratchPpm: join(dir, 'b.ppm'), settleMs: 100, pollMs: 10, maxMs: 150 });
  assert.is(result.settled, false);
  assert.ok(result.ms >= 150);
});

test('waitForSettledScreen stops at once when cancelled', async () => {
  const controller = new AbortController();
  const screen = fakeScreen(() => solidFrame(720, 400));
  setTimeout(() => controller.abort(), 50);
  assert.instance(await rejection(waitForSettledScreen(screen, { scratchPpm: join(dir, 'c.ppm'), pollMs: 10, signal: controller.signal })), CancelledError);
});

test('waitForScreenText reads a changed screen only, and returns when the text shows', async () => {
  const screen = fakeScreen((n) => (n < 4 ? textScreen(2) : textScreen(9)));
  const reads: string[] = [];
  const read = async (png: string) => {
    const frame = decodePng(await readFile(png));
    const text = frame.rgb.equals(textScreen(9).rgb) ? 'kiln test installer\nboot:' : 'SeaBIOS';
    reads.push(text);
    return text;
  };
  const result = await waitForScreenText(screen, 'Kiln Test  Installer', { scratchDir: dir, timeoutMs: 5000, pollMs: 5, read });
  assert.equal(reads, ['SeaBIOS', 'kiln test installer\nboot:']); // 4 dumps of the same BIOS screen, read once
  assert.is(result.reads, 2);
  assert.ok(screen.dumps >= 5);
});

test('waitForScreenText times out with what the screen said', async () => {
  const screen = fakeScreen(() => textScreen(2));
  const error = await kilnRejection(
    waitForScreenText(screen, 'login:', { scratchDir: dir, timeoutMs: 60, pollMs: 10, read: async () => 'Booting from DVD/CD...\nerror: no such kernel' }),
  );
  assert.is(error.code, 'E_BOOT');
  assert.match(error.message, /waiting for the screen to show "login:"/);
  assert.match(error.message, /booting from dvd\/cd\.\.\. error: no such kernel/);
  assert.match(error.hint ?? '', /failure\.png/);
});

test('saveScreenshot writes a PNG of the screen under its final name only', async () => {
  const screen = fakeScreen(() => textScreen(5));
  const file = join(dir, 'shot.png');
  await saveScreenshot(screen, file, join(dir, 'shot.ppm'));
  const frame = decodePng(await readFile(file));
  assert.ok(frame.rgb.equals(textScreen(5).rgb));
  await rejection(readFile(`${file}.partial`), 'partial file left');
});

test.run();
