import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { guestEvents, phaseRows, unmatchedEvents } from '../../lib/bench/guest-phases.js';
import { parseStamped } from '../../lib/bench/stamped-lines.js';
import { REPO } from '../helpers/run-kiln.js';

// Excerpts of one bench run (2026-12-07): the fixture installer built by kiln and by Packer 1.6.6.
const serial = (tool: string) => parseStamped(readFileSync(`${REPO}test/bench/fixtures/installer-${tool}.serial.txt`, 'utf8'));

test('the fixture installer\'s serial log: both boots, the installer\'s markers, reboot and power-off', () => {
  const events = guestEvents(serial('kiln'));
  assert.equal(
    events.map((e) => `${e.key} @${(e.ms / 1000).toFixed(3)}`),
    [
      'kernel @5.892',
      'init @10.041',
      'installer @10.395',
      'install complete @18.847',
      'reboot @18.847',
      'kernel (boot 2) @22.717',
      'init (boot 2) @33.275',
      'sshd up (boot 2) @40.696',
      'shutting down (boot 2) @53.888',
      'power-off (boot 2) @57.036',
    ],
  );
});

test('markers of systemd, cloud-init and sshd guests, each once per boot', () => {
  const cases: [string, string][] = [
    ['[    0.000000] Linux version 6.1.0-28-cloud-amd64 (debian-kernel@lists.debian.org)', 'kernel'],
    ['[    2.112233] Run /init as init process', 'init'],
    ['[    1.5] Run /sbin/init as init process', 'init'],
    ['[    3.901234] systemd[1]: systemd 252.31-1~deb12u1 running in system mode (+PAM +AUDIT)', 'systemd'],
    ['Welcome to Debian GNU/Linux 12 (bookworm)!', 'systemd'],
    ["[   10.1] cloud-init[301]: Cloud-init v. 22.4.2 running 'init-local' at Mon, 07 Dec 2026 11:40:02 +0000. Up 9.88 seconds.", 'cloud-init init-local'],
    ["[   14.2] cloud-init[402]: Cloud-init v. 22.4.2 running 'init' at Mon, 07 Dec 2026 11:40:06 +0000. Up 13.99 seconds.", 'cloud-init init'],
    ["[   21.0] cloud-init[499]: Cloud-init v. 22.4.2 running 'modules:config' at Mon, 07 Dec 2026 11:40:13 +0000. Up 20.8 seconds.", 'cloud-init modules:config'],
    ["[   24.0] cloud-init[520]: Cloud-init v. 22.4.2 running 'modules:final' at Mon, 07 Dec 2026 11:40:16 +0000. Up 23.7 seconds.", 'cloud-init modules:final'],
    ['[   25.0] cloud-init[520]: Cloud-init v. 22.4.2 finished at Mon, 07 Dec 2026 11:40:17 +0000. Datasource DataSourceNoCloudNet.  Up 24.9 seconds', 'cloud-init finished'],
    ['[  OK  ] Started ssh.service - OpenBSD Secure Shell server.', 'sshd up'],
    ['[   40.1] reboot: Power down', 'power-off'],
    ['[   13.0] reboot: Restarting system', 'reboot'],
  ];
  for (const [text, key] of cases) assert.equal(guestEvents([{ ms: 1, text }]).map((e) => e.key), [key], text);
  // Lines that only look alike mark nothing.
  for (const text of ['kiln-install: Linux version check skipped', 'echo Run /init', "running 'init-local'"]) {
    assert.equal(guestEvents([{ ms: 1, text }]), [], text);
  }
  const twice = guestEvents([
    { ms: 1, text: '[ 3.9] systemd[1]: systemd 252 running in system mode' },
    { ms: 2, text: 'Welcome to Debian GNU/Linux 12 (bookworm)!' },
  ]);
  assert.equal(twice, [{ key: 'systemd', ms: 1 }]);
});

test('side by side: spans between the events both guests printed, in kiln\'s order', () => {
  const kiln = guestEvents(serial('kiln'));
  const packer = guestEvents(serial('packer'));
  assert.equal(unmatchedEvents(kiln, packer), { kilnOnly: [], packerOnly: [] });
  const rows = phaseRows(kiln, packer);
  const row = (label: string) => rows.find((r) => r.label === label);
  assert.is(rows.length, kiln.length - 1);
  // The installed system's kernel before init: 10.6 s under kiln's -cpu max, 5.0 s under Packer's qemu64.
  assert.equal(row('kernel (boot 2) → init (boot 2)'), { label: 'kernel (boot 2) → init (boot 2)', kiln: 10_558, packer: 4_983 });
  assert.equal(row('installer → install complete'), { label: 'installer → install complete', kiln: 8_452, packer: 7_743 });
});

test('an event one guest did not print joins the spans around it', () => {
  const kiln = [{ key: 'kernel', ms: 0 }, { key: 'systemd', ms: 4000 }, { key: 'power-off', ms: 9000 }];
  const packer = [{ key: 'kernel', ms: 100 }, { key: 'power-off', ms: 8100 }];
  assert.equal(phaseRows(kiln, packer), [{ label: 'kernel → power-off', kiln: 9000, packer: 8000 }]);
  assert.equal(unmatchedEvents(kiln, packer), { kilnOnly: ['systemd'], packerOnly: [] });
  // Without Packer, kiln's own spans.
  assert.equal(phaseRows(kiln).map((r) => [r.label, r.kiln]), [['kernel → systemd', 4000], ['systemd → power-off', 5000]]);
});

test.run();
