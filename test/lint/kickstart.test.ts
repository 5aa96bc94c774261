// Kickstart lint: commands, options, sections and %packages lines, with line:column.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintKickstart } from '../../lib/lint/kickstart.js';

const at = (text: string) => lintKickstart(text).problems.map((p) => `${p.line}:${p.column ?? '-'} ${p.message}`);

const GOOD = `# comment
text
lang en_US.UTF-8
keyboard --vckeymap=us --xlayouts=us
network --bootproto=dhcp --device=link --activate --onboot=on
rootpw --lock
user --name=vagrant --password vagrant --plaintext --groups=wheel
bootloader --append="console=tty0 console=ttyS0,115200n8" --timeout=1
authselect select sssd with-mkhomedir --force
autopart --type=plain --nohome --noswap
reboot
%include http://example.org/more.cfg

%packages --excludedocs --inst-langs=en
@^minimal-environment
@development --optional
-plymouth
sudo
%end

%post --interpreter=/usr/bin/python3 --log=/root/post.log
print("a line: with a % sign and %end-like text")
%end

%addon com_redhat_kdump --disable
%end
`;

test('a good kickstart has no problems, and its scripts come back with their interpreter', () => {
  const { problems, scripts } = lintKickstart(GOOD);
  assert.equal(problems, []);
  assert.equal(scripts, [
    { section: '%post', line: 21, interpreter: '/usr/bin/python3', body: 'print("a line: with a % sign and %end-like text")\n' },
  ]);
});

test('faults are reported with line and column', () => {
  const bad = [
    'lang en_US.UTF-8', // 1
    'rootpw --plaintxt vagrant', // 2 unknown option
    'timezon Etc/UTC', // 3 unknown command
    'install', // 4 removed
    'user --password=x', // 5 no --name
    'rootpw', // 6 no password
    'skipx --now', // 7 option for a command without options
    'network --hostname "unclosed', // 8 quote
    '%end', // 9 stray %end
    '%pakages', // 10 unknown section
    '%packages', // 11 not closed before %post
    'vim git', // 12 two packages
    '%post', // 13 never closed
    'echo hi',
  ].join('\n');
  assert.equal(at(bad), [
    '2:8 unknown option --plaintxt for rootpw: did you mean --plaintext?',
    '3:1 unknown kickstart command "timezon": did you mean "timezone"?',
    '4:1 install was removed from kickstart: installing is the default: remove the line (give the source with url, cdrom, nfs or harddrive)',
    '5:1 user needs --name=NAME',
    '6:1 rootpw needs a password, or --lock to lock the root account',
    '7:7 unknown option --now for skipx; skipx takes no options',
    '8:20 this quote is never closed: close it on the same line',
    '9:1 %end without an open section: remove it, or start the section (%packages, %post, ...) above',
    '10:1 unknown section %pakages: did you mean %packages?',
    '11:1 %packages is not closed: add %end before %post on line 13',
    '12:5 one package per line in %packages: put "git" on a line of its own',
    '13:1 %post is not closed: add %end at its end',
  ]);
});

test('shell script sections are returned for a syntax check', () => {
  const { scripts } = lintKickstart('%pre\necho a\n%end\n%post --nochroot\nif true; then\n%end\n');
  assert.equal(
    scripts.map((s) => [s.section, s.line, s.interpreter, s.body]),
    [
      ['%pre', 1, '/bin/sh', 'echo a\n'],
      ['%post', 4, '/bin/sh', 'if true; then\n'],
    ],
  );
});

test.run();
