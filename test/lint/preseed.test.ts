// Preseed lint: good files pass; each fault is reported at its line and column.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintPreseed, parsePreseed, preseedIncludes } from '../../lib/lint/preseed.js';

const at = (text: string) => lintPreseed(text).map((p) => `${p.line}:${p.column ?? '-'} ${p.message}`);

test('a good preseed has no problems; comments, blanks, flags and continued lines are fine', () => {
  const good = [
    '#_preseed_V1',
    '',
    'd-i debian-installer/locale string en_US.UTF-8',
    '   # indented comment',
    'd-i passwd/user-password password secret word',
    'd-i passwd/user-password-again password secret word',
    'd-i netcfg/get_domain string',
    'tasksel tasksel/first multiselect standard, ssh-server',
    'd-i partman/confirm boolean true',
    'd-i partman/confirm seen false',
    'd-i preseed/late_command string \\',
    '    echo hi > /target/etc/motd; \\',
    '    true',
    'd-i finish-install/reboot_in_progress note',
    'postfix postfix/main_mailer_type select No configuration',
  ].join('\n');
  assert.equal(lintPreseed(good), []);
  assert.equal(lintPreseed(good.replaceAll('\n', '\r\n')), []);
});

test('continued lines join as debconf-set-selections joins them, numbered by their first line', () => {
  const { entries } = parsePreseed('d-i a/b string \\\n  one \\\n  two\nd-i c/d boolean true\n');
  assert.equal(
    entries.map((e) => [e.line, e.question, e.value]),
    [
      [1, 'a/b', '  one   two'],
      [4, 'c/d', 'true'],
    ],
  );
});

test('faults are reported with line and column', () => {
  const bad = [
    'd-i debian-installer/locale string en_US', // 1 fine
    'd-i partman-auto/methd string regular', // 2 misspelt question
    'd-i grub-installer/only_debian boolen true', // 3 unknown type
    'd-i clock-setup/utc boolean yes', // 4 not a boolean
    'd-i clock-setup/ntp boolean true ', // 5 trailing blank is part of the value
    'd-i foo', // 6 no type
    'lonely', // 7 one word
    'd-i passwd/user-password password vagrant', // 8
    'd-i passwd/user-password-again password vagrnt', // 9 differs
  ].join('\n');
  assert.equal(at(bad), [
    '2:5 unknown question "partman-auto/methd": did you mean "partman-auto/method"? (the installer ignores unknown questions and stops to ask the real one)',
    '3:32 unknown type "boolen": did you mean "boolean"? (debconf-set-selections skips this line, so the answer is lost; types: string, boolean, select, multiselect, password, note, text, title)',
    '4:29 a boolean must be true or false, not "yes"',
    '5:29 a boolean must be true or false, not "true ": remove the blank after it, which is part of the value',
    '6:1 missing the type after "foo": write "owner question type value", e.g. "d-i passwd/username string vagrant" (types: string, boolean, select, multiselect, password, note, text, title)',
    '7:1 "lonely" alone is not a preseed line: write "owner question type value", e.g. "d-i passwd/username string vagrant"',
    '9:41 passwd/user-password-again differs from passwd/user-password on line 8: the installer would stop and ask for the password',
  ]);
});

test('questions kiln does not know are fine unless they are a near miss of a known one', () => {
  assert.equal(lintPreseed('d-i mypackage/some-question string x\nd-i keymap select us\nd-i apt-setup/local3/repository string http://x\n'), []);
  assert.match(at('d-i passwd/usrname string vagrant\n')[0]!, /^1:5 unknown question "passwd\/usrname": did you mean "passwd\/username"/);
});

test('preseed/include and preseed/run name the files loaded next to the preseed', () => {
  assert.equal(preseedIncludes('d-i preseed/include string common.cfg late.cfg\nd-i preseed/run string fix.sh\n'), [
    { line: 1, name: 'common.cfg' },
    { line: 1, name: 'late.cfg' },
    { line: 2, name: 'fix.sh' },
  ]);
});

test.run();
