import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBootCommand } from '../../lib/keyboard/parse.js';
import { countKeyPresses } from '../../lib/keyboard/stats.js';

const CASES: [string, number][] = [
  ['', 0],
  ['abc', 3],
  ['<esc><wait>auto<enter>', 6],
  ['<wait5><wait1m30s><wait250ms>', 0],
  ['<leftCtrlOn>x<leftCtrlOff><waitHttp /p><waitSerial "x"><waitScreen "y">', 3],
  ['A\n<wait0>', 1],
];
for (const [source, presses] of CASES) {
  test(JSON.stringify(source), () => {
    const actions = parseBootCommand(source);
    assert.is(countKeyPresses(actions), presses);
  });
}

test.run();
