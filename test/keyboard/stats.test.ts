import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBootCommand } from '../../lib/keyboard/parse.js';
import { countKeyPresses, totalFixedWaitMs } from '../../lib/keyboard/stats.js';

const CASES: [string, number, number][] = [
  ['', 0, 0],
  ['abc', 3, 0],
  ['<esc><wait>auto<enter>', 6, 1000],
  ['<wait5><wait1m30s><wait250ms>', 0, 95_250],
  ['<leftCtrlOn>x<leftCtrlOff><waitHttp /p><waitSerial "x"><waitScreen "y">', 3, 0],
  ['A\n<wait0>', 1, 0],
];
for (const [source, presses, waitMs] of CASES) {
  test(JSON.stringify(source), () => {
    const actions = parseBootCommand(source);
    assert.is(countKeyPresses(actions), presses);
    assert.is(totalFixedWaitMs(actions), waitMs);
  });
}

test.run();
