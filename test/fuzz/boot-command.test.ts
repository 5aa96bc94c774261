// Random boot commands: the parser, the template check and the lint scan either succeed
// or fail with a typed error (BootCommandSyntaxError is a KilnError), each within a time
// bound. KILN_FUZZ_BUDGET=20000 runs a longer search (npm run fuzz).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KilnError } from '../../lib/errors.js';
import { heldAtEnd, unreleasedHolds } from '../../lib/keyboard/held.js';
import { parseBootCommand } from '../../lib/keyboard/parse.js';
import { scanBootCommand } from '../../lib/lint/boot-references.js';
import { checkBootCommand } from '../../lib/template/boot-syntax.js';
import { excerpt, fuzzBudget, fuzzSeed, int, mulberry32, pick, tokens, RUNAWAY_MS } from './random.js';

const VOCABULARY = [
  '<', '>', '<>', ' ', '\t', '\n', '\r', '/', '"', '\\', '(', ')', '[', ']', '+', '*', '?', '{', '}', ',', ';', ':', '=', '.',
  'a', 'Z', '0', '9', '5', 'ms', 's', 'm', 'h', 'd', '-', '_', 'é', '🚀', '\u0000', '\u007f',
  'enter', 'esc', 'tab', 'bs', 'f1', 'leftCtrl', 'leftShift', 'rightAlt', 'pageUp', 'On', 'Off', 'on', 'off',
  'wait', 'wait5', 'wait600h', 'wait1m30s', 'waitHttp', 'waitSerial', 'waitScreen', 'waitHtp', 'constructor', 'toString', '__proto__',
  '<enter>', '<wait>', '<wait10>', '<leftCtrlOn>', '<leftCtrlOff>', '<aOn>', '<AOff>', '<waitHttp /ks.cfg>', '<waitSerial "login:">',
  '<waitSerial /(a+)+/>', '<waitSerial /[/]x/>', '{{ .HTTPIP }}', '{{ .HTTPPort }}', '{{ .OutputDir }}', '{{ .Nope }}', '{{',
  'http://', ':65535', 'url=', 'inst.ks=', 'ds=nocloud;s=', 'setup-alpine', '-f', 'linux', 'autoinstall',
];

const BUDGET = fuzzBudget(800);

test(`${BUDGET} random boot commands: typed errors only, none runs away (seed ${fuzzSeed()})`, () => {
  const random = mulberry32(fuzzSeed());
  for (let i = 0; i < BUDGET; i++) {
    const lines = Array.from({ length: 1 + int(random, 3) }, () => tokens(random, VOCABULARY, int(random, 60)));
    const command = pick(random, [lines, lines.join('')]);
    const begin = performance.now();
    try {
      const actions = parseBootCommand(lines.join(''));
      heldAtEnd(actions);
      unreleasedHolds(actions);
    } catch (error) {
      if (!(error instanceof KilnError)) assert.unreachable(`case ${i}: ${(error as Error).stack} for ${excerpt(lines.join(''))}`);
    }
    const checked = checkBootCommand(command, { Name: 'fuzz', OutputDir: '/tmp/out', HTTPIP: '10.0.2.2', HTTPPort: 8080 });
    for (const finding of checked.findings) assert.type(finding.message, 'string');
    try {
      scanBootCommand(lines);
    } catch (error) {
      if (!(error instanceof KilnError)) assert.unreachable(`case ${i}: scan: ${(error as Error).stack} for ${excerpt(lines.join(''))}`);
    }
    const took = performance.now() - begin;
    assert.ok(took < RUNAWAY_MS, `case ${i} took ${took.toFixed(0)} ms: ${excerpt(lines.join(''))}`);
  }
});

test.run();
