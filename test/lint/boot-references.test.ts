// What boot commands fetch from kiln's HTTP server, and as what, by table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PORT_SENTINEL, scanBootCommand, unescapedNocloud } from '../../lib/lint/boot-references.js';

const url = `http://10.0.2.2:${PORT_SENTINEL}`;

const cases: [string, string, { path: string; kind?: string; strong: boolean }[]][] = [
  ['debian auto', `<esc><wait>auto preseed/url=${url}/preseed.cfg hostname=x<enter>`, [{ path: '/preseed.cfg', kind: 'preseed', strong: true }]],
  ['debian url alias, no scheme', `auto url=10.0.2.2:${PORT_SENTINEL}/d/preseed.cfg<enter>`, [{ path: '/d/preseed.cfg', kind: 'preseed', strong: true }]],
  ['anaconda', `<up><tab> inst.ks=${url}/ks.cfg<enter>`, [{ path: '/ks.cfg', kind: 'kickstart', strong: true }]],
  ['plain ks= (weak)', `install ks=${url}/ks.cfg<enter>`, [{ path: '/ks.cfg', kind: 'kickstart', strong: false }]],
  ['nocloud escaped for GRUB', `linux /casper/vmlinuz autoinstall ds=nocloud\\;s=${url}/ubuntu/ ---<enter>`, [{ path: '/ubuntu/', kind: 'nocloud', strong: true }]],
  ['nocloud quoted', `linux /casper/vmlinuz 'ds=nocloud-net;s=${url}/' ---<enter>`, [{ path: '/', kind: 'nocloud', strong: true }]],
  ['alpine', `root<enter>setup-alpine -e -f ${url}/answers && wget -qO /tmp/p.sh ${url}/p%20x.sh<enter>`, [
    { path: '/answers', kind: 'alpine-answers', strong: true },
    { path: '/p x.sh', strong: false },
  ]],
  ['typed over several keys', `auto url=http://10.0.2.2:${PORT_SENTINEL}/a<enter>b`, [{ path: '/a', kind: 'preseed', strong: true }]],
  ['not the HTTP port', 'auto url=http://example.org/preseed.cfg<enter>', []],
];

for (const [name, command, expected] of cases) {
  test(`references: ${name}`, () => {
    const found = scanBootCommand(command).references.map(({ path, kind, strong }) => (kind ? { path, kind, strong } : { path, strong }));
    assert.equal(found, expected);
  });
}

test('<waitHttp> paths, the typed text and GRUB detection', () => {
  const scan = scanBootCommand('e<down><end> x=1<f10><waitHttp /user-data>');
  assert.equal(scan.waits, [{ path: '/user-data', line: 0 }]);
  assert.is(scan.typed, 'e\n\n x=1\n\n');
  assert.ok(scan.grub);
  assert.ok(scanBootCommand('<up>e<down> a<leftCtrlOn>x<leftCtrlOff>').grub, 'Ctrl-X boots from the GRUB editor');
  assert.ok(scanBootCommand('c<wait>linux /casper/vmlinuz<enter>').grub, 'a typed linux line is GRUB');
  assert.not.ok(scanBootCommand('<esc>auto url=x<enter>').grub);
});

test('each reference and wait knows its boot.command line, also when a URL is split across lines', () => {
  const scan = scanBootCommand([
    '<esc><wait>',
    `auto url=${url}/preseed.cfg `,
    'hostname=x ks=http://10.0.2.2:',
    `${PORT_SENTINEL}/ks.cfg<enter>`,
    '<waitHttp /preseed.cfg>',
    `<waitHttp /ks.cfg> ds=nocloud;s=${url}/seed/`,
  ]);
  assert.equal(scan.references.map((r) => [r.path, r.line]), [['/preseed.cfg', 1], ['/ks.cfg', 2], ['/seed/', 5]]);
  assert.equal(scan.waits, [{ path: '/preseed.cfg', line: 4 }, { path: '/ks.cfg', line: 5 }]);
});

test('an unescaped ";" in ds=nocloud is flagged only for GRUB', () => {
  const grub = scanBootCommand(`c<wait>linux /casper/vmlinuz ds=nocloud;s=${url}/ ---<enter>`);
  assert.equal(unescapedNocloud(grub).map((r) => r.word), [`ds=nocloud;s=${url}/`]);
  assert.equal(unescapedNocloud(scanBootCommand(`c<wait>linux /casper/vmlinuz ds=nocloud\\;s=${url}/ ---<enter>`)), []);
  assert.equal(unescapedNocloud(scanBootCommand(`<tab> ds=nocloud;s=${url}/<enter>`)), [], 'ISOLINUX takes ";" literally');
});

test.run();
