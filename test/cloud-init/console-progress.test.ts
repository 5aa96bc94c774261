// Where cloud-init is, from its serial console lines (cloud-init 22.4 on Debian 12, as
// the fixture cloud image prints them), fed in chunks cut anywhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CloudInitConsole, type CloudInitConsoleState } from '../../lib/cloud-init/console-progress.js';

const INIT_LOCAL = "[   38.1] cloud-init[231]: Cloud-init v. 22.4.2 running 'init-local' at Mon, 07 Dec 2026 18:13:20 +0000. Up 38.01 seconds.";
const CONFIG = "[   71.4] cloud-init[402]: Cloud-init v. 22.4.2 running 'modules:config' at Mon, 07 Dec 2026 18:13:53 +0000. Up 71.33 seconds.";
const FINISHED = '[   84.0] cloud-init[433]: Cloud-init v. 22.4.2 finished at Mon, 07 Dec 2026 18:14:05 +0000. Datasource DataSourceNoCloud [seed=/dev/sr0][dsmode=net].  Up 83.95 seconds';

const cases: [string, string[], CloudInitConsoleState][] = [
  ['nothing yet', ['SeaBIOS (version 1.16.2-debian-1.16.2-1)\r\n', 'Booting from Hard Disk...\r\n'], 'unseen'],
  ['an image that prints nothing of cloud-init', ['[  OK  ] Started ssh.service - OpenBSD Secure Shell server.\r\n', 'debian login: '], 'unseen'],
  ['a stage started', [`${INIT_LOCAL}\r\n`], 'running'],
  ['a later stage', [`${INIT_LOCAL}\r\n`, `${CONFIG}\r\n`], 'running'],
  ['finished', [`${INIT_LOCAL}\r\n${CONFIG}\r\n`, `${FINISHED}\r\n`], 'finished'],
  ['a line cut between chunks counts once whole', [`${INIT_LOCAL}\r\n${FINISHED.slice(0, 40)}`, `${FINISHED.slice(40)}\r\n`], 'finished'],
  ['a line not ended yet does not count', [`${INIT_LOCAL}\r\n${FINISHED}`], 'running'],
  ['a reboot: cloud-init runs again', [`${INIT_LOCAL}\n${FINISHED}\n`, '[    0.0] Linux version 6.1.0\n', `${INIT_LOCAL}\n`], 'running'],
  ['a user\'s echo of the phrase is not a stage', ['echo Cloud-init is running\n'], 'unseen'],
];
for (const [label, chunks, expected] of cases) {
  test(`console state: ${label}`, () => {
    const console = new CloudInitConsole();
    for (const chunk of chunks) console.push(chunk);
    assert.is(console.state, expected);
  });
}

test('an endless line without a newline keeps a bounded tail', () => {
  const console = new CloudInitConsole();
  for (let i = 0; i < 100; i++) console.push('x'.repeat(10_000));
  console.push(`\n${FINISHED}\n`);
  assert.is(console.state, 'finished');
});

test.run();
