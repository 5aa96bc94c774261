// setup-alpine answer files: every prompting step answered, quoting, exported setup-disk variables.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintAlpineAnswers } from '../../lib/lint/alpine-answers.js';

const at = (text: string) => lintAlpineAnswers(text).map((p) => `${p.line}:${p.column ?? '-'} ${p.message}`);

const GOOD = `# answers
KEYMAPOPTS="us us"
HOSTNAMEOPTS=alpine
INTERFACESOPTS="auto lo
iface lo inet loopback

auto eth0
iface eth0 inet dhcp
"
TIMEZONEOPTS=UTC
PROXYOPTS=none
APKREPOSOPTS="-1"
USEROPTS=none
SSHDOPTS='openssh'
NTPOPTS=none   # a comment
DISKOPTS="-m sys -s 0 /dev/vda"
export KERNELOPTS="quiet console=ttyS0,115200"
`;

test('a good answer file passes, multi-line quoted values included', () => {
  assert.equal(lintAlpineAnswers(GOOD), []);
});

test('faults are reported with line and column', () => {
  const bad = GOOD.replace('KEYMAPOPTS="us us"', 'KEYMAPOPTS=us us')
    .replace('USEROPTS=none', 'USEROPTS=')
    .replace('NTPOPTS=none   # a comment', 'NTPOPT=none')
    .replace('export KERNELOPTS=', 'KERNELOPTS=')
    .replace('DISKOPTS="-m sys -s 0 /dev/vda"', '');
  assert.equal(at(bad), [
    '1:- NTPOPTS is not set, so setup-alpine would stop and ask: set it (none skips the step)',
    '1:- DISKOPTS is not set, so setup-alpine would stop and ask: set it (none skips the step)',
    '2:15 the shell would run "us" as a command: quote KEYMAPOPTS\'s value, e.g. KEYMAPOPTS="us us"',
    '13:1 USEROPTS is empty, so setup-alpine would stop and ask: write USEROPTS=none to skip the step',
    '15:1 setup-alpine does not read NTPOPT: did you mean NTPOPTS?',
    '17:1 KERNELOPTS is read by setup-disk, a separate program: write "export KERNELOPTS=..." so it reaches it',
  ]);
});

test('an unclosed quote and a line that is not an assignment', () => {
  assert.match(at('echo hi\n').join('\n'), /1:1 expected NAME=value/);
  assert.match(at('KEYMAPOPTS="us us\n').join('\n'), /1:12 the quote that starts KEYMAPOPTS's value is never closed/);
});

test.run();
